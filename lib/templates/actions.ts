"use server";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { getDb } from "@/lib/db";
import { previewRequest } from "@/lib/requests/preview";

const formInput = z
  .object({
    template: z.string().min(1).max(60),
    version: z.string().max(40).optional(),
    team: z.string({ error: "Choose a team." }).min(1, "Choose a team.").max(40),
    tenantName: z.string().max(200).default(""),
    placement: z.string().max(200).default(""),
    // Set by the change form of an existing tenant.
    tenant: z.string().min(1).max(40).optional(),
  })
  .passthrough();

/** Renders the files a request would write and keeps their fingerprint for the submit; writes nothing to Git. */
export const previewTenantAction = authedAction(
  { name: "previewTenant", role: "signed-in", schema: formInput },
  async ({ viewer, input }) => {
    const fields = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => k.startsWith("param.") && typeof v === "string"),
    ) as Record<string, string>;
    return previewRequest({
      db: getDb(),
      viewer,
      input: input.tenant
        ? { action: "update", tenantName: input.tenant, version: input.version || undefined, fields }
        : {
            action: "create",
            form: {
              template: input.template,
              version: input.version,
              team: input.team,
              tenantName: input.tenantName,
              placement: input.placement,
              fields,
            },
          },
    });
  },
);
