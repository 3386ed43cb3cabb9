import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import type { ViewerAction } from "@/lib/auth/policy";
import { getLogger } from "@/lib/log";
import { formValues, runAction, type ActionContext, type ActionState } from "./action-core";
import { getViewer } from "./session";

export type { ActionState } from "./action-core";

type Options<S extends z.ZodType, R> = {
  name: string;
  // Absent: any signed-in viewer (the service decides the rest through lib/auth/policy.ts).
  may?: ViewerAction;
  // A function when the schema depends on configuration (read at call time, not import time).
  schema: S | (() => S);
  revalidate?: string[];
  redirectTo?: (data: R) => string;
};

/**
 * Builds a server action for `<form action>` + useActionState: it checks the session and
 * policy itself (never trusting that the page was hidden), validates with zod, then runs.
 */
export function authedAction<S extends z.ZodType, R>(
  opts: Options<S, R>,
  handler: (ctx: ActionContext<z.infer<S>>) => Promise<R>,
): (prev: ActionState<R>, form: FormData) => Promise<ActionState<R>> {
  return async (_prev, form) => {
    const schema = typeof opts.schema === "function" ? (opts.schema as () => S)() : opts.schema;
    const state = await runAction({
      name: opts.name,
      may: opts.may,
      schema,
      viewer: await getViewer(),
      raw: formValues(form),
      handler,
      log: getLogger(),
    });
    if (state.ok) {
      // "layout" also refreshes pages below the path, e.g. /teams/payments under /teams.
      for (const path of opts.revalidate ?? []) revalidatePath(path, "layout");
      // Outside runAction's try: redirect() works by throwing.
      if (opts.redirectTo && state.data !== undefined) redirect(opts.redirectTo(state.data));
    }
    return state;
  };
}
