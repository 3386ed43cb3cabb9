import "server-only";
import type { z } from "zod";
import { CHECK_FIELDS, describeError, logFailure } from "@/lib/errors";
import { decide, type ViewerAction } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";

export type ActionState<T = undefined> = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  // Echoed back so a failed form keeps what the user typed.
  values?: Record<string, string>;
  data?: T;
};

export const initialActionState: ActionState = { ok: false };

export type ActionContext<I> = { viewer: Viewer; input: I };

type Logger = { error: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (!k.startsWith("$ACTION") && typeof v === "string") out[k] = v;
  return out;
}

/** The checks every action shares: session, policy, validation, expected vs unexpected errors. */
export async function runAction<S extends z.ZodType, R>(opts: {
  name: string;
  viewer: Viewer | null;
  // A policy action decided by the viewer alone (e.g. team.create); subject-bound ones are the service's.
  may?: ViewerAction;
  schema: S;
  raw: Record<string, string>;
  handler: (ctx: ActionContext<z.infer<S>>) => Promise<R>;
  log: Logger;
}): Promise<ActionState<R>> {
  const { viewer, raw, log, name } = opts;
  if (!viewer) return { ok: false, message: "Your session has ended. Sign in again.", values: raw };
  const decision = opts.may ? decide(viewer, opts.may) : undefined;
  if (decision && !decision.allowed) {
    log.warn({ action: name, policy: opts.may, userId: viewer.id }, "action refused by policy");
    return { ok: false, message: decision.reason, values: raw };
  }
  const parsed = opts.schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field] ??= issue.message;
    }
    return { ok: false, message: CHECK_FIELDS, fieldErrors, values: raw };
  }
  try {
    const data = await opts.handler({ viewer, input: parsed.data });
    return { ok: true, data, values: raw };
  } catch (err) {
    // The same table answers the REST API (lib/entry/api/respond.ts).
    const answer = describeError(err);
    logFailure(log, answer, err, { action: name }, `action failed: ${answer.code}`);
    return {
      ok: false,
      message: answer.message,
      ...(answer.fields ? { fieldErrors: answer.fields } : {}),
      values: raw,
    };
  }
}
