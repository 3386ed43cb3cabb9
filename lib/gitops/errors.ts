// Errors callers branch on: a conflict needs a human (or a rebase), an unavailable forge is
// retried, a request error is a bug or a permission problem and is not retried. Each is an
// AppError, so an action or the REST API answers it from lib/errors' table.
import { AppError } from "@/lib/errors";

export class MergeConflictError extends AppError {
  constructor(
    readonly number: number,
    /** Conflicting paths; empty when the forge does not say which (Gitea, Azure DevOps). */
    readonly paths: string[],
    message = `Pull request #${number} cannot be merged cleanly${paths.length ? `: ${paths.join(", ")}` : ""}`,
  ) {
    super("conflict", message);
    this.name = "MergeConflictError";
  }
}

export class WebhookSignatureError extends AppError {
  constructor(message = "Webhook signature or secret does not match") {
    super("unauthenticated", message);
    this.name = "WebhookSignatureError";
  }
}

/** Network failure, timeout, 5xx or 429: the request may succeed later. */
export class ForgeUnavailableError extends AppError {
  constructor(
    message: string,
    /** The forge's HTTP status, when it answered at all. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super("forge_unavailable", message, options);
    this.name = "ForgeUnavailableError";
  }
}

/** The forge refused the request (4xx): retrying the same request will not help. */
export class ForgeRequestError extends AppError {
  constructor(
    /** The forge's HTTP status (4xx). */
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("forge_error", message, options);
    this.name = "ForgeRequestError";
  }
}

/** A branch name or file path Berth refuses before it reaches Git or a forge (Berth made it: a bug). */
export class InvalidGitInputError extends AppError {
  constructor(message: string) {
    super("internal", message);
    this.name = "InvalidGitInputError";
  }
}

/** Maps an HTTP status (undefined = no response) to the error class callers expect. */
export function forgeError(what: string, status: number | undefined, detail: string, cause?: unknown): Error {
  const text = `${what}: ${status ? `HTTP ${status}` : "no response"}${detail ? `: ${detail.slice(0, 300)}` : ""}`;
  if (status === undefined || status >= 500 || status === 429 || status === 408) {
    return new ForgeUnavailableError(text, status, { cause });
  }
  return new ForgeRequestError(status, text, { cause });
}
