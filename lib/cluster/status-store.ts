import "server-only";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import {
  requests,
  requestTransitions,
  statusReader,
  teams,
  tenants,
  tenantStatus,
  tenantStatusHistory,
} from "@/db/schema";
import type { Db } from "@/lib/db";
import type { AuditActor } from "@/lib/audit/record";
import { getConfig } from "@/lib/config";
import { STATUS_CHANNEL } from "@/lib/db/channels";
import { outboxOf } from "@/lib/db/transaction";
import { tenantReady } from "@/lib/notifications/events";
import { notifyUsers } from "@/lib/notifications/notify";
import { transitionRequest } from "@/lib/requests/state";
import { derivePhase, type Observation, type TenantPhase } from "./derive";

export const STATUS_READER_ACTOR: AuditActor = { id: null, label: "berth (status reader)", clientIp: null };

export type RecordedStatus = { tenantId: string; phase: TenantPhase; message: string | null; changed: boolean };

function isEmpty(o: Observation): boolean {
  return !o.application && !o.workload && !o.cluster;
}

/**
 * Persists what the cluster says about one tenant: the derived phase (history row only when it
 * changes) and a pg_notify so open pages update, all in one transaction. Finishes a decommission
 * once every object is gone. Returns null for a name Berth does not know (someone else's object).
 */
/**
 * Whether a revision is the merge commit of a request Berth merged after the given one (so it
 * contains that merge). Commits Berth did not merge are not known here and count as not containing it.
 */
async function isLaterMerge(tx: Pick<Db, "select">, requestId: string, revision: string): Promise<boolean> {
  const mine = tx
    .select({ id: sql`max(${requestTransitions.id})` })
    .from(requestTransitions)
    .where(and(eq(requestTransitions.requestId, requestId), eq(requestTransitions.toState, "merged")));
  const [later] = await tx
    .select({ id: requests.id })
    .from(requests)
    .innerJoin(requestTransitions, eq(requestTransitions.requestId, requests.id))
    .where(
      and(
        eq(requests.mergeCommitSha, revision),
        eq(requestTransitions.toState, "merged"),
        sql`${requestTransitions.id} > (${mine})`,
      ),
    )
    .limit(1);
  return Boolean(later);
}

export async function recordObservation(opts: {
  db: Db;
  tenantName: string;
  observation: Observation;
  clusterConnected: boolean;
  now?: Date;
}): Promise<RecordedStatus | null> {
  const { db, tenantName, observation, clusterConnected } = opts;
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    // A name comes back after an abandoned create or a completed decommission: the live tenant wins.
    const [tenant] = await tx
      .select({ id: tenants.id, kind: tenants.kind, lifecycle: tenants.lifecycle })
      .from(tenants)
      .where(and(eq(tenants.name, tenantName), ne(tenants.lifecycle, "abandoned")))
      .orderBy(sql`${tenants.lifecycle} = 'deleted'`, desc(tenants.createdAt))
      .limit(1);
    if (!tenant) return null;
    const [request] = await tx
      .select({
        id: requests.id,
        state: requests.state,
        action: requests.action,
        mergeCommitSha: requests.mergeCommitSha,
      })
      .from(requests)
      .where(eq(requests.tenantId, tenant.id))
      .orderBy(desc(requests.createdAt))
      .limit(1);

    let state = request?.state;
    if (request && state === "deleting" && clusterConnected && isEmpty(observation)) {
      // Argo CD has pruned everything Berth watches: the decommission is done.
      await transitionRequest({
        tx,
        requestId: request.id,
        to: "deleted",
        actor: STATUS_READER_ACTOR,
        reason: "The tenant's objects are gone from the management cluster.",
      });
      await tx.update(tenants).set({ lifecycle: "deleted", updatedAt: sql`now()` }).where(eq(tenants.id, tenant.id));
      state = "deleted";
    }

    const revision = observation.application?.revision;
    const revisionIsLaterMerge =
      request?.mergeCommitSha && revision && revision !== request.mergeCommitSha
        ? await isLaterMerge(tx, request.id, revision)
        : false;
    const derived = derivePhase({
      request:
        request && state
          ? { state, action: request.action, mergeCommitSha: request.mergeCommitSha, revisionIsLaterMerge }
          : null,
      observation,
      clusterConnected,
      dedicated: tenant.kind.startsWith("dedicated"),
    });
    const [previous] = await tx
      .select({ phase: tenantStatus.phase })
      .from(tenantStatus)
      .where(eq(tenantStatus.tenantId, tenant.id))
      .for("update");
    const app = observation.application;
    const row = {
      phase: derived.phase,
      message: derived.message,
      syncedToChange: derived.syncedToChange,
      revision: app?.revision ?? null,
      syncStatus: app?.syncStatus ?? null,
      healthStatus: app?.healthStatus ?? null,
      operationPhase: app?.operationPhase ?? null,
      sources: observation,
      observedAt: now,
      updatedAt: sql`now()`,
    };
    await tx
      .insert(tenantStatus)
      .values({ tenantId: tenant.id, ...row })
      .onConflictDoUpdate({ target: tenantStatus.tenantId, set: row });
    const changed = previous?.phase !== derived.phase;
    if (changed)
      await tx
        .insert(tenantStatusHistory)
        .values({ tenantId: tenant.id, phase: derived.phase, message: derived.message, at: now });
    // The requester hears once per request that their tenant is ready (the dedupe key is per request).
    if (changed && derived.phase === "Ready" && request && state === "merged") {
      const [facts] = await tx
        .select({
          requestedBy: requests.requestedBy,
          team: teams.slug,
          template: sql<string>`${requests.templateName} || '@' || ${requests.templateVersion}`,
        })
        .from(requests)
        .innerJoin(tenants, eq(tenants.id, requests.tenantId))
        .innerJoin(teams, eq(teams.id, tenants.teamId))
        .where(eq(requests.id, request.id));
      if (facts)
        await notifyUsers({
          db: tx,
          outbox: outboxOf(tx),
          userIds: [facts.requestedBy],
          event: tenantReady({
            baseUrl: getConfig().baseUrl,
            requestId: request.id,
            tenant: tenantName,
            team: facts.team,
            template: facts.template,
          }),
        });
    }
    // Delivered on commit only, so a listener never reads a status that was rolled back.
    await tx.execute(sql`SELECT pg_notify(${STATUS_CHANNEL}, ${tenantName})`);
    return { tenantId: tenant.id, phase: derived.phase, message: derived.message, changed };
  });
}

export type ReaderFreshness = {
  holder: string;
  connected: boolean;
  lastEventAt: Date | null;
  error: string | null;
  updatedAt: Date;
};

/** The single status_reader row: every replica shows status as stale while the watch is down. */
export async function recordReaderHealth(opts: {
  db: Db;
  holder: string;
  connected: boolean;
  lastEventAt: Date | null;
  error: string | null;
}): Promise<void> {
  const { db, holder, connected, lastEventAt, error } = opts;
  await db
    .insert(statusReader)
    .values({ id: 1, holder, connected, lastEventAt, error })
    .onConflictDoUpdate({
      target: statusReader.id,
      // A heartbeat without news keeps the last event time instead of erasing it.
      set: {
        holder,
        connected,
        error,
        lastEventAt: sql`coalesce(excluded.last_event_at, ${statusReader.lastEventAt})`,
        updatedAt: sql`now()`,
      },
    });
}

export async function readStatusFreshness(db: Db): Promise<ReaderFreshness | null> {
  const [row] = await db
    .select({
      holder: statusReader.holder,
      connected: statusReader.connected,
      lastEventAt: statusReader.lastEventAt,
      error: statusReader.error,
      updatedAt: statusReader.updatedAt,
    })
    .from(statusReader)
    .where(eq(statusReader.id, 1));
  return row ?? null;
}

/** The reader stopped (leadership lost, shutdown): stale unless another holder already took over. */
export async function markReaderStopped(opts: { db: Db; holder: string }): Promise<void> {
  await opts.db
    .update(statusReader)
    .set({ connected: false, error: "status reader stopped", updatedAt: sql`now()` })
    .where(and(eq(statusReader.id, 1), eq(statusReader.holder, opts.holder)));
}
