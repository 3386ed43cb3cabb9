"use server";
import { z } from "zod";
import { authedAction } from "@/lib/entry/action";
import { auditActorFor } from "@/lib/entry/session";
import { getDb } from "@/lib/db";
import { FieldError } from "@/lib/errors";
import { submitDecommissionRequest } from "@/lib/requests/change";
import { extendSandbox, requestSandbox } from "@/lib/sandboxes/service";

const hours = z.coerce
  .number({ error: "Choose how long." })
  .int("Choose how long.")
  .min(1, "Extend by at least one hour.")
  .max(720, "Extend by at most 720 hours.");

/** One click: a sandbox from the template's defaults, approved automatically by policy. */
export const getSandboxAction = authedAction(
  {
    name: "getSandbox",
    schema: z.object({}),
    revalidate: ["/"],
    redirectTo: (r: { requestId: string }) => `/requests/${r.requestId}`,
  },
  async ({ viewer }) => requestSandbox({ db: getDb(), viewer, actor: await auditActorFor(viewer) }),
);

/** The owner moves the expiry later, within the template's maximum lifetime. */
export const extendSandboxAction = authedAction(
  {
    name: "extendSandbox",
    schema: z.object({ tenant: z.string().min(1).max(40), hours }),
    revalidate: ["/", "/tenants", "/sandboxes"],
  },
  async ({ viewer, input }) => {
    const r = await extendSandbox({
      db: getDb(),
      viewer,
      actor: await auditActorFor(viewer),
      tenantName: input.tenant,
      hours: input.hours,
    });
    return { requestId: r.requestId, expiresAt: r.expiresAt.toISOString() };
  },
);

const bulk = z.object({
  op: z.enum(["extend", "remove"], { error: "Choose extend or remove." }),
  tenants: z.string().min(1, "Select at least one sandbox.").max(20_000),
  hours: hours.optional(),
});

/** Platform admins extend or remove many sandboxes at once; each one is its own audited request. */
export const bulkSandboxAction = authedAction(
  { name: "bulkSandboxes", may: "sandbox.bulk", schema: bulk, revalidate: ["/sandboxes"] },
  async ({ viewer, input }) => {
    const actor = await auditActorFor(viewer);
    const names = input.tenants.split(",").filter(Boolean).slice(0, 500);
    const failed: string[] = [];
    for (const tenantName of names) {
      try {
        if (input.op === "extend")
          await extendSandbox({ db: getDb(), viewer, actor, tenantName, hours: input.hours ?? 24 });
        else
          await submitDecommissionRequest({
            db: getDb(),
            viewer,
            actor,
            tenantName,
            reason: "removed by a platform admin",
          });
      } catch (err) {
        if (err instanceof FieldError) failed.push(`${tenantName}: ${err.message}`);
        else throw err;
      }
    }
    return { done: names.length - failed.length, failed };
  },
);
