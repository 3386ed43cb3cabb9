import "server-only";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { WebhookSignatureError } from "./errors";
import type { WebhookEvent } from "./types";

/**
 * Constant-time string comparison. Both sides are hashed first so neither the length nor a
 * common prefix of the expected value leaks through timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb);
}

export function hmacSha256Hex(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("hex");
}

/** Throws unless `given` equals the hex HMAC-SHA256 of the raw body (case-insensitive hex). */
export function assertHmac(opts: { given: string | null; secret: string; rawBody: string; prefix?: string }): void {
  const { given, secret, rawBody, prefix = "" } = opts;
  if (!secret) throw new WebhookSignatureError("No webhook secret configured");
  if (!given) throw new WebhookSignatureError("Webhook signature header missing");
  const expected = prefix + hmacSha256Hex(secret, rawBody);
  if (!safeEqual(given.trim().toLowerCase(), expected)) throw new WebhookSignatureError();
}

/** Parses the body once the signature is verified; a signed body that is not JSON is ignored (null). */
export function parseJsonBody(rawBody: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(rawBody);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Reads a nested property of an untyped payload without trusting its shape. */
export function pick(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
export const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * The pull_request payload GitHub defines and Gitea/Forgejo copy: `action`, `number`,
 * `pull_request.{number, head.ref, merged, merge_commit_sha}`. A "closed" action with
 * `merged: true` is a merge. `actions` maps the forge's remaining action names.
 */
export function pullRequestEventFromGitHubShape(
  rawBody: string,
  actions: Record<string, WebhookEvent["action"]>,
): WebhookEvent | null {
  const body = parseJsonBody(rawBody);
  const pr = pick(body, "pull_request");
  const number = num(pick(body, "number")) ?? num(pick(pr, "number"));
  const headBranch = str(pick(pr, "head", "ref"));
  if (number === null || headBranch === null) return null;
  const action = str(pick(body, "action")) ?? "";
  const merged = action === "closed" && pick(pr, "merged") === true;
  return {
    kind: "pull_request",
    action: merged ? "merged" : action === "closed" ? "closed" : (actions[action] ?? "other"),
    number,
    headBranch,
    mergeCommitSha: merged ? str(pick(pr, "merge_commit_sha")) : null,
  };
}
