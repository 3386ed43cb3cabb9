import "server-only";
import { and, asc, desc, eq, notInArray, sql } from "drizzle-orm";
import { requests, statusReader, teams, tenantStatus, tenantStatusHistory, tenants } from "@/db/schema";
import { derivePhase, type TenantPhase } from "@/lib/cluster/derive";
import { getConfig } from "@/lib/config";
import type { Db } from "@/lib/db";

export type Freshness = { cluster: "none" | "connected" | "down"; error: string | null };
export type TenantStatusView = {
  phase: TenantPhase;
  message: string | null;
  syncedToChange: boolean;
  stale: boolean;
  observedAt: Date | null;
  history: { phase: string; message: string | null; at: Date }[];
};

/** Whether a status reader is watching now; a silent reader (no heartbeat) counts as down. */
export async function clusterFreshness(db: Db): Promise<Freshness> {
  if (getConfig().cluster.mode === "none") return { cluster: "none", error: null };
  const [row] = await db
    .select({ connected: statusReader.connected, updatedAt: statusReader.updatedAt, error: statusReader.error })
    .from(statusReader)
    .where(eq(statusReader.id, 1));
  const alive = row?.connected && Date.now() - row.updatedAt.getTime() < 45_000;
  return {
    cluster: alive ? "connected" : "down",
    error: row?.error ?? (row ? null : "The status reader has not reported yet."),
  };
}

function isStale(freshness: Freshness, observedAt: Date | null): boolean {
  if (freshness.cluster === "none") return false;
  if (freshness.cluster === "down") return true;
  return !observedAt || Date.now() - observedAt.getTime() > getConfig().cluster.staleAfterSeconds * 1000;
}

/** A tenant's phase: from the status reader when it has one, else from its latest request alone. */
export async function getTenantStatus(
  db: Db,
  tenantId: string,
  kind: string,
  freshness: Freshness,
): Promise<TenantStatusView> {
  const [[row], [last], history] = await Promise.all([
    db
      .select({
        phase: tenantStatus.phase,
        message: tenantStatus.message,
        synced: tenantStatus.syncedToChange,
        observedAt: tenantStatus.observedAt,
      })
      .from(tenantStatus)
      .where(eq(tenantStatus.tenantId, tenantId)),
    db
      .select({ state: requests.state, action: requests.action, sha: requests.mergeCommitSha })
      .from(requests)
      .where(eq(requests.tenantId, tenantId))
      .orderBy(desc(requests.createdAt))
      .limit(1),
    db
      .select({ phase: tenantStatusHistory.phase, message: tenantStatusHistory.message, at: tenantStatusHistory.at })
      .from(tenantStatusHistory)
      .where(eq(tenantStatusHistory.tenantId, tenantId))
      .orderBy(asc(tenantStatusHistory.id))
      .limit(200),
  ]);
  // Until the reader has seen the tenant, or while the request is still in Berth's hands, the request decides.
  const fromRequest = derivePhase({
    request: last ? { state: last.state, action: last.action, mergeCommitSha: last.sha } : null,
    observation: {},
    clusterConnected: freshness.cluster !== "none",
    dedicated: kind.startsWith("dedicated"),
  });
  const inFlight = !last || ["submitted", "pr_open", "approved", "failed"].includes(last.state);
  if (!row || inFlight) return { ...fromRequest, stale: false, observedAt: row?.observedAt ?? null, history };
  return {
    phase: row.phase as TenantPhase,
    message: row.message,
    syncedToChange: row.synced,
    stale: isStale(freshness, row.observedAt),
    observedAt: row.observedAt,
    history,
  };
}

export type FleetFilters = { team?: string; phase?: string; kind?: string; placement?: string; page: number };
export type FleetRow = {
  name: string;
  team: string;
  kind: string;
  placement: string;
  phase: string;
  message: string | null;
  observedAt: Date | null;
  stale: boolean;
};
export const FLEET_PAGE_SIZE = 50;

/** Every live tenant for platform admins: failing first, then stale, then the rest; filtered and paged in SQL. */
export async function listFleet(
  db: Db,
  f: FleetFilters,
  freshness: Freshness,
): Promise<{ rows: FleetRow[]; hasMore: boolean }> {
  const staleAfter = getConfig().cluster.staleAfterSeconds;
  const phase = sql<string>`coalesce(${tenantStatus.phase}, 'Unobserved')`;
  const staleExpr =
    freshness.cluster === "none"
      ? sql<boolean>`false`
      : freshness.cluster === "down"
        ? sql<boolean>`true`
        : sql<boolean>`(${tenantStatus.observedAt} IS NULL OR ${tenantStatus.observedAt} < now() - make_interval(secs => ${staleAfter}))`;
  const rows = await db
    .select({
      name: tenants.name,
      team: teams.slug,
      kind: tenants.kind,
      placement: tenants.placement,
      phase,
      message: tenantStatus.message,
      observedAt: tenantStatus.observedAt,
      stale: staleExpr,
    })
    .from(tenants)
    .innerJoin(teams, eq(teams.id, tenants.teamId))
    .leftJoin(tenantStatus, eq(tenantStatus.tenantId, tenants.id))
    .where(
      and(
        notInArray(tenants.lifecycle, ["deleted", "abandoned"]),
        f.team ? eq(teams.slug, f.team) : undefined,
        f.kind ? eq(tenants.kind, f.kind) : undefined,
        f.placement ? eq(tenants.placement, f.placement) : undefined,
        f.phase ? sql`${phase} = ${f.phase}` : undefined,
      ),
    )
    .orderBy(
      sql`CASE WHEN ${phase} IN ('Failed', 'Degraded') THEN 0 WHEN ${staleExpr} THEN 1 ELSE 2 END`,
      asc(tenants.name),
    )
    .limit(FLEET_PAGE_SIZE + 1)
    .offset((f.page - 1) * FLEET_PAGE_SIZE);
  return { rows: rows.slice(0, FLEET_PAGE_SIZE), hasMore: rows.length > FLEET_PAGE_SIZE };
}
