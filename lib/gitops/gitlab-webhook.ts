import "server-only";
import { WebhookSignatureError } from "./errors";
import type { WebhookEvent } from "./types";
import { num, parseJsonBody, pick, safeEqual, str } from "./webhook";

const ACTIONS: Record<string, WebhookEvent["action"]> = {
  open: "opened",
  merge: "merged",
  close: "closed",
  reopen: "reopened",
  update: "synchronized",
};

/**
 * GitLab sends the configured secret token verbatim in `X-Gitlab-Token` (no signature); it is
 * compared in constant time. Merge request events have `X-Gitlab-Event: Merge Request Hook`.
 */
export function verifyGitLabWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
  const token = opts.headers.get("x-gitlab-token");
  if (!opts.secret) throw new WebhookSignatureError("No webhook secret configured");
  if (token === null || !safeEqual(token, opts.secret))
    throw new WebhookSignatureError("X-Gitlab-Token does not match");
  if (opts.headers.get("x-gitlab-event") !== "Merge Request Hook") return null;
  const attrs = pick(parseJsonBody(opts.rawBody), "object_attributes");
  const number = num(pick(attrs, "iid"));
  const headBranch = str(pick(attrs, "source_branch"));
  if (number === null || headBranch === null) return null;
  const action = ACTIONS[str(pick(attrs, "action")) ?? ""] ?? "other";
  return {
    kind: "pull_request",
    action,
    number,
    headBranch,
    mergeCommitSha: action === "merged" ? str(pick(attrs, "merge_commit_sha")) : null,
  };
}
