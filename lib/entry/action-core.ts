import type { z } from "zod";
import { FieldError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { ForgeUnavailableError } from "@/lib/gitops/errors";
import { IllegalTransitionError } from "@/lib/requests/state";
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
    return { ok: false, message: "Check the highlighted fields.", fieldErrors, values: raw };
  }
  try {
    const data = await opts.handler({ viewer, input: parsed.data });
    return { ok: true, data, values: raw };
  } catch (err) {
    if (err instanceof ValidationError)
      return { ok: false, message: err.message, fieldErrors: err.fields, values: raw };
    if (err instanceof FieldError)
      return {
        ok: false,
        message: "Check the highlighted fields.",
        fieldErrors: { [err.field]: err.message },
        values: raw,
      };
    if (err instanceof ForbiddenError || err instanceof NotFoundError || err instanceof IllegalTransitionError)
      return { ok: false, message: err.message, values: raw };
    if (err instanceof ForgeUnavailableError) {
      log.warn({ action: name, err: err.message }, "forge unavailable");
      return {
        ok: false,
        message: "The Git forge is not answering right now; nothing was changed. Try again in a minute.",
        values: raw,
      };
    }
    log.error(
      {
        action: name,
        err: { name: (err as Error).name, message: (err as Error).message, stack: (err as Error).stack },
      },
      "action failed",
    );
    return {
      ok: false,
      message: "Something went wrong on our side; nothing was changed. Try again, or tell your platform team.",
      values: raw,
    };
  }
}
