import { z } from "zod";
import type { Placement } from "@/lib/config/placements";
import type { Catalog } from "./load";
import { findFilesTemplate, findTemplate, placementChoices, placementOptions } from "./catalog";
import { TemplateError } from "./expressions";
import { resolveSchema, validateParameters, type FieldErrors } from "./params";
import { renderTemplate, type RenderResult } from "./render";
import { cpuMillis, memoryMib } from "./quantity";
import type { Template } from "./schema";

// 40 keeps every generated name (tenant-<name>, <name>-vcluster, rg-<name>…) within 63 characters.
export const TENANT_NAME_MAX = 40;
export const tenantNameSchema = z
  .string({ error: "Enter a name." })
  .min(3, "Use at least 3 characters.")
  .max(TENANT_NAME_MAX, `Use at most ${TENANT_NAME_MAX} characters: it becomes part of Kubernetes and Azure names.`)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "Use lowercase letters (a–z), digits and hyphens; start and end with a letter or digit.",
  );

export type PrepareInput = {
  catalog: Catalog;
  placements: readonly Placement[];
  templateName: string;
  templateVersion?: string;
  tenantName: string;
  placement: string; // "target/pool" or "target"
  params: unknown;
  team: { slug: string; groups: { id: string; role: "member" | "owner" }[] };
  requestedBy: string;
  requestId: string;
  labelDomain: string;
  now: Date;
  // A chosen expiry (sandbox extension) instead of now + the template's default TTL.
  expiresAt?: string | null;
};

export type Prepared = {
  template: Template;
  params: Record<string, unknown>;
  placement: Placement;
  nodePool?: string;
  expiresAt: string | null;
  rendered: RenderResult;
  quota: { cpuMillis: number; memoryMib: number };
};

/** Validates a request against its template and renders it; every problem names its field. */
export function prepareTenant(input: PrepareInput): { ok: true; value: Prepared } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const template = findTemplate(input.catalog, input.templateName, input.templateVersion);
  if (!template)
    return {
      ok: false,
      errors: {
        template: `Template ${input.templateName}${input.templateVersion ? `@${input.templateVersion}` : ""} does not exist.`,
      },
    };
  const name = tenantNameSchema.safeParse(input.tenantName);
  if (!name.success) errors.tenantName = name.error.issues[0]!.message;
  const choice = placementChoices(template, input.placements).find((c) => c.value === input.placement);
  if (!choice) {
    errors.placement =
      placementChoices(template, input.placements).length === 0
        ? "No placement target is configured for this kind of tenant; ask your platform team."
        : "Choose a placement target.";
    return { ok: false, errors };
  }
  const schema = resolveSchema(template.parameters, placementOptions(choice.placement));
  const params = validateParameters(schema, input.params ?? {});
  if (!params.ok)
    for (const [k, v] of Object.entries(params.errors)) errors[k === "form" ? "params" : `param.${k}`] = v;
  if (!name.success || !params.ok) return { ok: false, errors };
  const ttl = template.policy.ttl;
  const expiresAt = !ttl
    ? null
    : (input.expiresAt ?? new Date(input.now.getTime() + ttl.defaultHours * 3_600_000).toISOString());
  try {
    const rendered = renderTemplate({
      template,
      filesTemplate: findFilesTemplate(input.catalog, template),
      tenant: { name: name.data, team: input.team.slug, requestedBy: input.requestedBy, expiresAt },
      teamGroups: input.team.groups,
      params: params.value,
      placement: choice.placement,
      nodePool: choice.nodePool,
      requestId: input.requestId,
      labelDomain: input.labelDomain,
    });
    const quota = template.quota
      ? { cpuMillis: cpuMillis(String(rendered.quota.cpu)), memoryMib: memoryMib(String(rendered.quota.memory)) }
      : { cpuMillis: 0, memoryMib: 0 };
    return {
      ok: true,
      value: {
        template,
        params: params.value,
        placement: choice.placement,
        nodePool: choice.nodePool,
        expiresAt,
        rendered,
        quota,
      },
    };
  } catch (err) {
    // A broken template is the platform team's to fix; the user sees which one and why.
    if (err instanceof TemplateError)
      return {
        ok: false,
        errors: { template: `Template ${template.name}@${template.version} cannot be rendered: ${err.message}` },
      };
    throw err;
  }
}
