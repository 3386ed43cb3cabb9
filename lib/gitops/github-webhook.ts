import type { WebhookEvent } from "./types";
import { assertHmac, num, parseJsonBody, pick, str } from "./webhook";

const ACTIONS: Record<string, WebhookEvent["action"]> = { opened: "opened", reopened: "reopened", synchronize: "synchronized" };

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, event name in
 * `X-GitHub-Event`. A closed pull request with `merged: true` is a merge.
 */
export function verifyGitHubWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
  assertHmac({ given: opts.headers.get("x-hub-signature-256"), secret: opts.secret, rawBody: opts.rawBody, prefix: "sha256=" });
  if (opts.headers.get("x-github-event") !== "pull_request") return null;
  const body = parseJsonBody(opts.rawBody);
  const pr = pick(body, "pull_request");
  const number = num(pick(body, "number")) ?? num(pick(pr, "number"));
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
