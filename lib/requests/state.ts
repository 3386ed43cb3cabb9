import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { requests, requestTransitions, type RequestAction, type RequestState } from "@/db/schema";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { Tx } from "@/lib/db";
import { STATUS_CHANNEL } from "@/lib/db/channels";
import { outboxOf } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { notifyForTransition } from "@/lib/notifications/hooks";

export type { RequestAction, RequestState };

// The request lifecycle. Anything not listed here is refused by transitionRequest, whatever the UI shows.
const TRANSITIONS: Record<RequestState, readonly RequestState[]> = {
  submitted: ["pr_open", "failed", "cancelled"],
  pr_open: ["approved", "merged", "rejected", "cancelled"],
  approved: ["merged", "failed"],
  merged: ["deleting"],
  failed: ["submitted", "cancelled"],
  deleting: ["deleted"],
  rejected: [],
  cancelled: [],
  deleted: [],
};

export const OPEN_STATES: readonly RequestState[] = ["submitted", "pr_open", "approved"];

/** A step the request lifecycle does not allow from where the request is (409 conflict). */
export class IllegalTransitionError extends AppError {
  constructor(
    readonly from: RequestState,
    readonly to: RequestState,
    readonly action?: RequestAction,
  ) {
    super("conflict", `A request cannot go from ${from.replace("_", " ")} to ${to.replace("_", " ")}.`);
    this.name = "IllegalTransitionError";
  }
}

export function canTransition(from: RequestState, to: RequestState, action: RequestAction): boolean {
  // Only decommissions delete; create and update end at merged.
  if (to === "deleting" && action !== "decommission") return false;
  return TRANSITIONS[from].includes(to);
}

/** Refuses (IllegalTransitionError) a step the lifecycle does not allow from the request's state now. */
export function assertTransition(r: { state: RequestState; action: RequestAction }, to: RequestState): void {
  if (!canTransition(r.state, to, r.action)) throw new IllegalTransitionError(r.state, to, r.action);
}

/**
 * Moves a request from its current state to `to` (compare-and-set on the state, so two workers
 * cannot both move it), records the transition and an audit event. Returns false when another
 * writer got there first with the same target; throws for an illegal move.
 */
export async function transitionRequest(opts: {
  tx: Tx;
  requestId: string;
  to: RequestState;
  actor: AuditActor;
  reason?: string | null;
  set?: Partial<typeof requests.$inferInsert>;
}): Promise<{ from: RequestState; teamId: string | null } | null> {
  const { tx, requestId, to, actor } = opts;
  const [current] = await tx
    .select({
      state: requests.state,
      action: requests.action,
      tenantId: requests.tenantId,
      teamId: sql<string>`(SELECT team_id FROM tenants WHERE id = ${requests.tenantId})`,
      tenant: sql<string>`(SELECT name FROM tenants WHERE id = ${requests.tenantId})`,
    })
    .from(requests)
    .where(eq(requests.id, requestId))
    .for("update");
  if (!current) throw new Error(`request ${requestId} does not exist`);
  if (current.state === to) return null;
  if (!canTransition(current.state, to, current.action))
    throw new IllegalTransitionError(current.state, to, current.action);
  await tx
    .update(requests)
    .set({
      ...opts.set,
      state: to,
      updatedAt: sql`now()`,
      ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
    })
    .where(and(eq(requests.id, requestId), eq(requests.state, current.state)));
  await tx.insert(requestTransitions).values({
    requestId,
    fromState: current.state,
    toState: to,
    actorId: actor.id,
    actorLabel: actor.label,
    reason: opts.reason ?? null,
  });
  // Open pages listening for this tenant (server-sent events) refresh when the transaction commits.
  await tx.execute(sql`SELECT pg_notify(${STATUS_CHANNEL}, ${current.tenant})`);
  await recordAuditEvent(tx, {
    actor,
    action: `request.${to}`,
    subjectType: "request",
    subjectId: requestId,
    teamId: current.teamId,
    before: { state: current.state },
    after: { state: to },
    reason: opts.reason ?? null,
  });
  // Inbox rows and their e-mail/chat jobs commit (or roll back) with the transition.
  await notifyForTransition({ db: tx, outbox: outboxOf(tx), requestId, to, reason: opts.reason ?? null });
  return { from: current.state, teamId: current.teamId };
}
