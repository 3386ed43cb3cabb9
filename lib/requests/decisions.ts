import "server-only";
import type { AuditActor } from "@/lib/audit/record";
import { assertCan } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import { ValidationError } from "@/lib/errors";
import { loadRequest, type ForgeContext } from "./context";
import { mergeApproved, onAbandoned } from "./forge-flow";
import { assertTransition, transitionRequest } from "./state";

/** Platform admins approve; the requester may not approve their own request unless the template allows it. */
export async function approveRequest(
  ctx: ForgeContext,
  opts: { requestId: string; viewer: Viewer; actor: AuditActor; comment?: string },
): Promise<void> {
  const r = await loadRequest(ctx.db, opts.requestId);
  assertCan(opts.viewer, "request.approve", r);
  assertTransition(r, "approved");
  if (opts.comment && r.prNumber !== null)
    await ctx.provider.comment(r.prNumber, `Approved in Berth by ${opts.actor.label}: ${opts.comment}`);
  await mergeApproved(ctx, r.id, opts.actor, opts.comment ?? null);
}

/** Closes the pull request with the reason as a comment, then records the rejection. */
export async function rejectRequest(
  ctx: ForgeContext,
  opts: { requestId: string; viewer: Viewer; actor: AuditActor; reason: string },
): Promise<void> {
  const reason = opts.reason.trim();
  if (reason.length < 3) throw new ValidationError({ reason: "Give the requester a reason (at least 3 characters)." });
  const r = await loadRequest(ctx.db, opts.requestId);
  assertCan(opts.viewer, "request.reject", r);
  assertTransition(r, "rejected");
  // Forge first: if it is down nothing changes here, and the admin can try again.
  await ctx.provider.comment(r.prNumber!, `Rejected in Berth by ${opts.actor.label}: ${reason}`);
  await ctx.provider.closePullRequest(r.prNumber!);
  await ctx.db.transaction(async (tx) => {
    await transitionRequest({ tx, requestId: r.id, to: "rejected", actor: opts.actor, reason });
    await onAbandoned(tx, r);
  });
}

/** The requester (or a platform admin) withdraws a request that is not approved yet. */
export async function cancelRequest(
  ctx: ForgeContext,
  opts: { requestId: string; viewer: Viewer; actor: AuditActor },
): Promise<void> {
  const r = await loadRequest(ctx.db, opts.requestId);
  assertCan(opts.viewer, "request.cancel", r);
  assertTransition(r, "cancelled");
  if (r.prNumber !== null) {
    await ctx.provider.comment(r.prNumber, `Cancelled in Berth by ${opts.actor.label}.`);
    await ctx.provider.closePullRequest(r.prNumber);
  }
  await ctx.db.transaction(async (tx) => {
    await transitionRequest({ tx, requestId: r.id, to: "cancelled", actor: opts.actor });
    await onAbandoned(tx, r);
  });
}

/** A failed request goes back to submitted; the job opens (or finds) its pull request again. */
export async function retryRequest(
  ctx: ForgeContext,
  opts: { requestId: string; viewer: Viewer; actor: AuditActor },
): Promise<void> {
  const r = await loadRequest(ctx.db, opts.requestId);
  assertCan(opts.viewer, "request.retry", r);
  assertTransition(r, "submitted");
  // A request that failed after its PR was opened (merge conflict) keeps its PR: retrying re-merges.
  await ctx.db.transaction((tx) =>
    transitionRequest({
      tx,
      requestId: r.id,
      to: "submitted",
      actor: opts.actor,
      reason: "retry",
      set: { attempts: 0, lastError: null },
    }),
  );
}
