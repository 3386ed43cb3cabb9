// Berth's one error taxonomy. Every expected failure is an AppError with a stable code; ERRORS maps
// the code to the HTTP status (REST API), the words a person reads (server actions and API alike)
// and how loudly to log it. lib/entry/action-core.ts, lib/entry/api/respond.ts and the OpenAPI
// document (lib/entry/api/openapi-schemas.ts) all read this table, so they cannot drift apart.

export const ERROR_CODES = [
  "invalid_json",
  "too_large",
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "forge_unavailable",
  "forge_error",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type ErrorLogLevel = "none" | "warn" | "error";

type ErrorSpec = {
  status: number;
  log: ErrorLogLevel;
  // What the user reads. Absent: the error's own message, written for them by the code that threw.
  // Present: this replaces it, so internals (a forge's answer, a stack) never reach the user.
  message?: string;
  headers?: Record<string, string>;
};

export const CHECK_FIELDS = "Check the highlighted fields.";

export const ERRORS: Record<ErrorCode, ErrorSpec> = {
  invalid_json: { status: 400, log: "none" },
  too_large: { status: 413, log: "none" },
  validation_failed: { status: 400, log: "none", message: CHECK_FIELDS },
  unauthenticated: { status: 401, log: "none" },
  // A refusal by the policy: expected, but worth a line in the log (forged forms, probing).
  forbidden: { status: 403, log: "warn" },
  not_found: { status: 404, log: "none" },
  conflict: { status: 409, log: "none" },
  forge_unavailable: {
    status: 503,
    log: "warn",
    message:
      "The Git forge is not answering right now, so Berth could not finish this. Try again in a few " +
      "minutes; an approved request is merged automatically once the forge is back.",
    headers: { "retry-after": "60" },
  },
  // A 4xx from the forge is a configuration or permission problem on the platform side.
  forge_error: {
    status: 502,
    log: "error",
    message: "The Git forge refused the change. Nothing more was done; tell your platform team.",
  },
  internal: {
    status: 500,
    log: "error",
    message: "Something went wrong on our side. Try again, or tell your platform team.",
  },
};

/** The base of every expected failure: a stable code, a message for people, optional field errors. */
export class AppError extends Error {
  readonly fields: Record<string, string> | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { fields?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Each subclass sets its own name as a literal: class names do not survive minification.
    this.name = "AppError";
    this.fields = options.fields;
  }
}

/** How an error is answered: the same for a server action and the REST API. */
export type ErrorAnswer = {
  code: ErrorCode;
  status: number;
  message: string;
  fields?: Record<string, string>;
  log: ErrorLogLevel;
  headers: Record<string, string>;
};

/** Looks any thrown value up in ERRORS; anything that is not an AppError is internal. */
export function describeError(err: unknown): ErrorAnswer {
  const app = err instanceof AppError ? err : undefined;
  const code = app?.code ?? "internal";
  const spec = ERRORS[code];
  const fields = app?.fields && Object.keys(app.fields).length > 0 ? app.fields : undefined;
  return {
    code,
    status: spec.status,
    message: spec.message ?? app?.message ?? "",
    ...(fields ? { fields } : {}),
    log: spec.log,
    headers: spec.headers ?? {},
  };
}

type Logger = { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

/** Logs a failure at its code's level (expected ones not at all); the stack only for errors. */
export function logFailure(
  log: Logger,
  answer: ErrorAnswer,
  err: unknown,
  context: Record<string, unknown>,
  msg: string,
): void {
  if (answer.log === "none") return;
  const e = err as { name?: string; message?: string; stack?: string; status?: number } | undefined;
  const detail = {
    name: e?.name,
    message: e?.message,
    ...(typeof e?.status === "number" ? { status: e.status } : {}),
    ...(answer.log === "error" ? { stack: e?.stack } : {}),
  };
  log[answer.log]({ ...context, code: answer.code, err: detail }, msg);
}

// Expected failures a user can fix: they carry the field to show the message next to.
export class FieldError extends AppError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("validation_failed", message, { fields: { [field]: message } });
    this.name = "FieldError";
  }
}

// Several expected field problems at once (e.g. a template form); nothing was written.
export class ValidationError extends AppError {
  declare readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>) {
    super("validation_failed", CHECK_FIELDS, { fields });
    this.name = "ValidationError";
  }
}

// The caller may not do this; pages render 403, actions a plain refusal. lib/auth/policy.ts
// throws its subclass PolicyError.
export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this.") {
    super("forbidden", message);
    this.name = "ForbiddenError";
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found.") {
    super("not_found", message);
    this.name = "NotFoundError";
  }
}

/** PostgreSQL unique violation (23505) on the given constraint, if any. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  let cur = err as { code?: string; constraint?: string; cause?: unknown } | undefined;
  for (let i = 0; cur && i < 3; i++) {
    if (cur.code === "23505") return !constraint || cur.constraint === constraint;
    cur = cur.cause as typeof cur;
  }
  return false;
}
