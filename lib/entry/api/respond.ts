// One error shape for the whole REST API, mapped from the errors the services already throw, so
// the API refuses exactly what the UI refuses and says why in the same words.
import { z } from "zod";
import { FieldError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { ForgeRequestError, ForgeUnavailableError } from "@/lib/gitops/errors";
import { IllegalTransitionError } from "@/lib/requests/state";

export type ApiErrorCode =
  | "invalid_json"
  | "too_large"
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "forge_unavailable"
  | "forge_error"
  | "internal";

export type ApiErrorBody = { error: { code: ApiErrorCode; message: string; fields?: Record<string, string> } };

/** An answer decided by the API layer itself (bad JSON, no session, invisible request). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Logger = { error: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

const NO_STORE = { "cache-control": "no-store" };

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...NO_STORE, ...headers } });
}

function errorBody(code: ApiErrorCode, message: string, fields?: Record<string, string>): ApiErrorBody {
  return { error: fields && Object.keys(fields).length > 0 ? { code, message, fields } : { code, message } };
}

/** Zod issues as `{ "a.b": message }`, first message per field (list positions dropped: `state.1` → `state`). */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues)
    fields[issue.path.filter((p) => typeof p === "string").join(".") || "body"] ??= issue.message;
  return fields;
}

const CHECK_FIELDS = "Check the highlighted fields.";

/** Maps anything a handler throws to status + error body; unexpected errors are logged, never echoed. */
export function errorResponse(err: unknown, log: Logger, context: Record<string, unknown> = {}): Response {
  if (err instanceof ApiError) return json(errorBody(err.code, err.message, err.fields), err.status);
  if (err instanceof z.ZodError) return json(errorBody("validation_failed", CHECK_FIELDS, zodFields(err)), 400);
  if (err instanceof ValidationError) return json(errorBody("validation_failed", err.message, err.fields), 400);
  if (err instanceof FieldError)
    return json(errorBody("validation_failed", CHECK_FIELDS, { [err.field]: err.message }), 400);
  if (err instanceof ForbiddenError) return json(errorBody("forbidden", err.message), 403);
  if (err instanceof NotFoundError) return json(errorBody("not_found", err.message), 404);
  if (err instanceof IllegalTransitionError) return json(errorBody("conflict", err.message), 409);
  if (err instanceof ForgeUnavailableError) {
    log.warn({ ...context, err: { name: err.name, message: err.message } }, "api: forge unavailable");
    return json(
      errorBody(
        "forge_unavailable",
        "The Git forge is not answering right now, so Berth could not finish this. Try again in a few minutes; an approved request is merged automatically once the forge is back.",
      ),
      503,
      { "retry-after": "60" },
    );
  }
  if (err instanceof ForgeRequestError) {
    // A 4xx from the forge is a configuration or permission problem on the platform side.
    log.error(
      { ...context, err: { name: err.name, message: err.message, status: err.status } },
      "api: forge refused a request",
    );
    return json(
      errorBody("forge_error", "The Git forge refused the change. Nothing more was done; tell your platform team."),
      502,
    );
  }
  const e = err as Error;
  log.error({ ...context, err: { name: e?.name, message: e?.message, stack: e?.stack } }, "api: request failed");
  return json(errorBody("internal", "Something went wrong on our side. Try again, or tell your platform team."), 500);
}
