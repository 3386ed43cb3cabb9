// One error shape for the whole REST API, answered from lib/errors' table (the one server actions
// use too), so the API refuses exactly what the UI refuses and says why in the same words.
import "server-only";
import { z } from "zod";
import { describeError, type ErrorCode, logFailure, ValidationError } from "@/lib/errors";

export type ApiErrorCode = ErrorCode;

export type ApiErrorBody = { error: { code: ApiErrorCode; message: string; fields?: Record<string, string> } };

type Logger = { error: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

const NO_STORE = { "cache-control": "no-store" };

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...NO_STORE, ...headers } });
}

/** Zod issues as `{ "a.b": message }`, first message per field (list positions dropped: `state.1` → `state`). */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues)
    fields[issue.path.filter((p) => typeof p === "string").join(".") || "body"] ??= issue.message;
  return fields;
}

/** Maps anything a handler throws to status + error body; unexpected errors are logged, never echoed. */
export function errorResponse(err: unknown, log: Logger, context: Record<string, unknown> = {}): Response {
  const known: unknown = err instanceof z.ZodError ? new ValidationError(zodFields(err)) : err;
  const answer = describeError(known);
  logFailure(log, answer, known, context, `api: ${answer.code}`);
  const body: ApiErrorBody = {
    error: { code: answer.code, message: answer.message, ...(answer.fields ? { fields: answer.fields } : {}) },
  };
  return json(body, answer.status, answer.headers);
}
