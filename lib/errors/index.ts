// Expected failures a user can fix: they carry the field to show the message next to.
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "FieldError";
  }
}

// The caller lacks the role for the operation; pages render 403, actions a plain refusal.
export class ForbiddenError extends Error {
  constructor(message = "You are not allowed to do this.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

export class NotFoundError extends Error {
  constructor(message = "Not found.") {
    super(message);
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

// Several expected field problems at once (e.g. a template form); nothing was written.
export class ValidationError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super("Check the highlighted fields.");
    this.name = "ValidationError";
  }
}
