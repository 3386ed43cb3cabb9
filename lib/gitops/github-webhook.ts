import "server-only";
import type { WebhookEvent } from "./types";
import { assertHmac, pullRequestEventFromGitHubShape } from "./webhook";

const ACTIONS: Record<string, WebhookEvent["action"]> = {
  opened: "opened",
  reopened: "reopened",
  synchronize: "synchronized",
};

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, event name in
 * `X-GitHub-Event`. A closed pull request with `merged: true` is a merge.
 */
export function verifyGitHubWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
  assertHmac({
    given: opts.headers.get("x-hub-signature-256"),
    secret: opts.secret,
    rawBody: opts.rawBody,
    prefix: "sha256=",
  });
  if (opts.headers.get("x-github-event") !== "pull_request") return null;
  return pullRequestEventFromGitHubShape(opts.rawBody, ACTIONS);
}
