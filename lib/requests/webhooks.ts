import "server-only";
import { eq } from "drizzle-orm";
import { requests } from "@/db/schema";
import { forgeActor, type ForgeContext } from "./context";
import { applyPullRequestState } from "./forge-flow";

export type WebhookOutcome = { status: number; body: { ok: boolean; message: string } };

/** Verifies a forge webhook (throws WebhookSignatureError) and applies a merge or close to its request. */
export async function handleForgeWebhook(
  ctx: ForgeContext,
  opts: { headers: Headers; rawBody: string; secret: string },
): Promise<WebhookOutcome> {
  const event = ctx.provider.verifyWebhook(opts);
  if (!event) return { status: 202, body: { ok: true, message: "event ignored" } };
  if (event.action !== "merged" && event.action !== "closed")
    return { status: 202, body: { ok: true, message: `pull request ${event.action}: nothing to do` } };
  const [request] = await ctx.db
    .select({ id: requests.id, prNumber: requests.prNumber })
    .from(requests)
    .where(eq(requests.branch, event.headBranch));
  // Pull requests Berth did not open (or of another repository) are none of its business.
  if (!request || request.prNumber !== event.number)
    return { status: 202, body: { ok: true, message: "not a Berth request" } };
  await applyPullRequestState(ctx, {
    requestId: request.id,
    pr: {
      number: event.number,
      url: "",
      state: event.action,
      headBranch: event.headBranch,
      headSha: null,
      mergeCommitSha: event.mergeCommitSha,
    },
    actor: forgeActor(ctx.provider.kind),
  });
  return { status: 200, body: { ok: true, message: `request ${event.action}` } };
}
