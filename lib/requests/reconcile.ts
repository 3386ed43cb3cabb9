import "server-only";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { requests } from "@/db/schema";
import { ForgeUnavailableError } from "@/lib/gitops/errors";
import { getLogger } from "@/lib/log";
import { forgeActor, type ForgeContext } from "./context";
import { applyPullRequestState, completeMerge } from "./forge-flow";

export type ReconcileResult = { requeued: number; checked: number; changed: number; errors: number };

/**
 * The fallback for everything event-driven: re-enqueues submissions whose job was lost, asks the
 * forge about open pull requests (a missed webhook), and finishes merges interrupted by an outage.
 */
export async function reconcileRequests(
  ctx: ForgeContext,
  opts: { enqueue: (requestId: string) => Promise<void>; staleAfterMs?: number },
): Promise<ReconcileResult> {
  const stale = new Date(Date.now() - (opts.staleAfterMs ?? 30_000));
  const result: ReconcileResult = { requeued: 0, checked: 0, changed: 0, errors: 0 };
  const submitted = await ctx.db
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.state, "submitted"), lt(requests.updatedAt, stale)));
  for (const r of submitted) {
    await opts.enqueue(r.id);
    result.requeued++;
  }
  const open = await ctx.db
    .select({ id: requests.id, state: requests.state, prNumber: requests.prNumber })
    .from(requests)
    .where(and(inArray(requests.state, ["pr_open", "approved"]), sql`${requests.prNumber} IS NOT NULL`));
  for (const r of open) {
    result.checked++;
    try {
      if (r.state === "approved") {
        await completeMerge(ctx, r.id);
        result.changed++;
        continue;
      }
      const pr = await ctx.provider.getPullRequest(r.prNumber!);
      if (pr.state !== "open") {
        await applyPullRequestState(ctx, { requestId: r.id, pr, actor: forgeActor(ctx.provider.kind) });
        result.changed++;
      }
    } catch (err) {
      result.errors++;
      const level = err instanceof ForgeUnavailableError ? "warn" : "error";
      getLogger()[level]({ requestId: r.id, err: (err as Error).message }, "reconcile failed for request");
    }
  }
  return result;
}
