"use server";
import { authedAction } from "@/lib/entry/action";
import { getDb } from "@/lib/db";
import { currentFiles } from "@/lib/tenants/files";
import { diffChanges } from "@/lib/requests/diff";
import { getTenant } from "@/lib/tenants/queries";
import { tenantFormInput, tenantFormOf } from "@/lib/templates/form";
import { previewTenant } from "@/lib/templates/service";

/** Renders the files a request would write, without writing anything. */
export const previewTenantAction = authedAction(
  { name: "previewTenant", schema: tenantFormInput },
  async ({ viewer, input }) => {
    const prepared = await previewTenant({ db: getDb(), viewer, form: tenantFormOf(input) });
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
