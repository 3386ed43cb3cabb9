import { z } from "zod";
import type { TenantForm } from "./service";

// The tenant form as it is posted (components/templates/tenant-form.tsx): the same schema reads it
// for the preview and for the submission, so what the preview shows is what is submitted.
export const tenantFormInput = z
  .object({
    template: z.string().min(1).max(60),
    version: z.string().max(40).optional(),
    team: z.string({ error: "Choose a team." }).min(1, "Choose a team.").max(40),
    tenantName: z.string().max(200).default(""),
    placement: z.string().max(200).default(""),
    // Set by the change form of an existing tenant (its preview renders the change).
    tenant: z.string().min(1).max(40).optional(),
  })
  .passthrough();

// The form submits only what was previewed: the preview's fingerprint comes with it (the API may omit it).
const previewFirst = "Choose “Preview manifests” first: Berth submits exactly the files the preview shows.";
export const previewFingerprint = z.string({ error: previewFirst }).min(1, previewFirst).max(100);

export const tenantSubmitInput = tenantFormInput.extend({ previewFingerprint });

export type TenantFormInput = z.infer<typeof tenantFormInput>;

/** The `param.<path>` fields of a posted form (template parameters), as strings. */
export function paramFields(input: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input).filter(([k, v]) => k.startsWith("param.") && typeof v === "string"),
  ) as Record<string, string>;
}

/** A parsed form as the template service takes it. */
export function tenantFormOf(input: TenantFormInput): TenantForm {
  return {
    template: input.template,
    version: input.version,
    team: input.team,
    tenantName: input.tenantName,
    placement: input.placement,
    fields: paramFields(input),
  };
}
