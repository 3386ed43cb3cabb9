"use server";
import { z } from "zod";
import { authedAction } from "@/lib/entry/action";
import { getDb } from "@/lib/db";
import { currentFiles } from "@/lib/requests/change";
import { diffChanges } from "@/lib/requests/diff";
import { getTenant } from "@/lib/tenants/queries";
import { previewTenant } from "@/lib/templates/service";

const formInput = z
  .object({
    template: z.string().min(1).max(60),
    version: z.string().max(40).optional(),
    team: z.string({ error: "Choose a team." }).min(1, "Choose a team.").max(40),
    tenantName: z.string().max(200).default(""),
    placement: z.string().max(200).default(""),
  })
  .passthrough();

/** Renders the files a request would write, without writing anything. */
export const previewTenantAction = authedAction(
  { name: "previewTenant", role: "signed-in", schema: formInput },
  async ({ viewer, input }) => {
    const fields = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => k.startsWith("param.") && typeof v === "string"),
    ) as Record<string, string>;
    const prepared = await previewTenant({
      db: getDb(),
      viewer,
      form: {
        template: input.template,
        version: input.version,
        team: input.team,
        tenantName: input.tenantName,
        placement: input.placement,
        fields,
      },
    });
    // For a change of an existing tenant, also what it changes compared with the files in Git now.
    const existing = typeof input.tenant === "string" ? await getTenant(getDb(), viewer, input.tenant) : null;
    const diff = existing
      ? diffChanges(await currentFiles(getDb(), existing.id), prepared.rendered.files).filter(
          (f) => f.status !== "unchanged",
        )
      : null;
    return {
      files: prepared.rendered.files,
      outputs: prepared.rendered.outputs,
      expiresAt: prepared.expiresAt,
      template: `${prepared.template.name}@${prepared.template.version}`,
      diff,
    };
  },
);
