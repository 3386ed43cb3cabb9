import "server-only";
import type { WebhookEvent } from "./types";
import { assertHmac, pullRequestEventFromGitHubShape } from "./webhook";

const ACTIONS: Record<string, WebhookEvent["action"]> = {
  opened: "opened",
  reopened: "reopened",
  synchronized: "synchronized",
};

/**
 * Gitea (and Forgejo): `X-Gitea-Signature` is the hex HMAC-SHA256 of the raw body with the
 * hook's secret; `X-Gitea-Event: pull_request`. A "closed" action with `merged: true` is a merge.
 */
export function verifyGiteaWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
  assertHmac({ given: opts.headers.get("x-gitea-signature"), secret: opts.secret, rawBody: opts.rawBody });
  if (opts.headers.get("x-gitea-event") !== "pull_request") return null;
  return pullRequestEventFromGitHubShape(opts.rawBody, ACTIONS);
}
