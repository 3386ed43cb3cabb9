import "server-only";
import { WebhookSignatureError } from "./errors";
import type { WebhookEvent } from "./types";
import { num, parseJsonBody, pick, safeEqual, str } from "./webhook";

/**
 * Azure DevOps service hooks are not signed. Configure the "Web Hooks" subscription with either
 * the HTTP header `X-Berth-Secret: <secret>` (preferred) or basic authentication whose password
 * is the secret (any user name); both are compared in constant time. Events:
 * git.pullrequest.created / .updated / .merged (resource = the pull request).
 */
export function verifyAzureDevOpsWebhook(opts: {
  headers: Headers;
  rawBody: string;
  secret: string;
}): WebhookEvent | null {
  if (!opts.secret) throw new WebhookSignatureError("No webhook secret configured");
  const header = opts.headers.get("x-berth-secret");
  const basic = /^Basic\s+(.+)$/i.exec(opts.headers.get("authorization") ?? "")?.[1];
  const password =
    basic === undefined ? null : Buffer.from(basic, "base64").toString("utf8").split(":").slice(1).join(":");
  const given = header ?? password;
  if (given === null || !safeEqual(given, opts.secret))
    throw new WebhookSignatureError("Service hook secret does not match");

  const body = parseJsonBody(opts.rawBody);
  const eventType = str(pick(body, "eventType")) ?? "";
  if (!eventType.startsWith("git.pullrequest.")) return null;
  const pr = pick(body, "resource");
  const number = num(pick(pr, "pullRequestId"));
  const headBranch = str(pick(pr, "sourceRefName"))?.replace(/^refs\/heads\//, "") ?? null;
  if (number === null || headBranch === null) return null;
  const status = str(pick(pr, "status"));
  let action: WebhookEvent["action"] = "other";
  if (eventType === "git.pullrequest.created") action = "opened";
  else if (status === "completed") action = "merged";
  else if (status === "abandoned") action = "closed";
  else if (eventType === "git.pullrequest.updated" && status === "active") action = "synchronized";
  return {
    kind: "pull_request",
    action,
    number,
    headBranch,
    mergeCommitSha: action === "merged" ? str(pick(pr, "lastMergeCommit", "commitId")) : null,
  };
}
