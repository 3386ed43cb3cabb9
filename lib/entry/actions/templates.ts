"use server";
import { authedAction } from "@/lib/entry/action";
import { getDb } from "@/lib/db";
import { previewRequest } from "@/lib/requests/preview";
import { tenantFormInput, tenantFormOf } from "@/lib/templates/form";

/** Renders the files a request would write and keeps their fingerprint for the submit; writes nothing to Git. */
export const previewTenantAction = authedAction(
  { name: "previewTenant", schema: tenantFormInput },
  async ({ viewer, input }) => {
    const form = tenantFormOf(input);
    return previewRequest({
      db: getDb(),
      viewer,
      input: input.tenant
        ? { action: "update", tenantName: input.tenant, version: input.version || undefined, fields: form.fields }
        : { action: "create", form },
    });
  },
);
