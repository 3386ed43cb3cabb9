import type { WebhookEvent } from "./types";
import { assertHmac, num, parseJsonBody, pick, str } from "./webhook";

const ACTIONS: Record<string, WebhookEvent["action"]> = { opened: "opened", reopened: "reopened", synchronized: "synchronized" };

/**
 * Gitea (and Forgejo): `X-Gitea-Signature` is the hex HMAC-SHA256 of the raw body with the
 * hook's secret; `X-Gitea-Event: pull_request`. A "closed" action with `merged: true` is a merge.
 */
export function verifyGiteaWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
  assertHmac({ given: opts.headers.get("x-gitea-signature"), secret: opts.secret, rawBody: opts.rawBody });
  if (opts.headers.get("x-gitea-event") !== "pull_request") return null;
  const body = parseJsonBody(opts.rawBody);
  const pr = pick(body, "pull_request");
  const number = num(pick(pr, "number")) ?? num(pick(body, "number"));
  const headBranch = str(pick(pr, "head", "ref"));
  if (number === null || headBranch === null) return null;
  const action = str(pick(body, "action")) ?? "";
  const merged = action === "closed" && pick(pr, "merged") === true;
  return {
    kind: "pull_request",
    action: merged ? "merged" : action === "closed" ? "closed" : (ACTIONS[action] ?? "other"),
    number,
    headBranch,
    mergeCommitSha: merged ? str(pick(pr, "merge_commit_sha")) : null,
  };
}
