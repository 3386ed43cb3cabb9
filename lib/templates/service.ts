import "server-only";
import { eq } from "drizzle-orm";
import { teamGroups, teams } from "@/db/schema";
import { can, SANDBOX_TEAM } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import type { Db } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import { getCatalog, findTemplate } from "./catalog";
import { parametersFromForm } from "./params";
import { prepareTenant, type Prepared } from "./prepare";
import type { Template } from "./schema";

export type TenantForm = {
  template: string;
  version?: string;
  team: string;
  tenantName: string;
  placement: string;
  fields: Record<string, string>;
};

/** Templates the viewer may request for at least one team (personal ones: the built-in sandboxes team). */
export function requestableTemplates(viewer: Viewer, templates: Template[]): Template[] {
  const teams = [SANDBOX_TEAM, ...viewer.teams.map((t) => t.slug)];
  return templates.filter((template) => teams.some((team) => can(viewer, "template.request", { template, team })));
}

/** Validates a tenant form and renders its files (the preview, and later the pull request). */
export async function previewTenant(opts: {
  db: Db;
  viewer: Viewer;
  form: TenantForm;
  requestId?: string;
  expiresAt?: string | null;
}): Promise<Prepared> {
  const { db, viewer, form } = opts;
  const config = getConfig();
  const catalog = await getCatalog();
  const template = findTemplate(catalog, form.template, form.version);
  if (!template) throw new ValidationError({ template: `Template ${form.template} does not exist.` });
  const [team] = await db.select({ id: teams.id, slug: teams.slug }).from(teams).where(eq(teams.slug, form.team));
  // Unknown and foreign teams get the same answer: no hint that a team exists.
  if (!team || !can(viewer, "template.request", { template, team: team.slug })) {
    throw new ValidationError({ team: `You cannot request ${template.title} for team "${form.team}".` });
  }
  const groups = await db
    .select({ id: teamGroups.groupId, role: teamGroups.role })
    .from(teamGroups)
    .where(eq(teamGroups.teamId, team.id))
    .orderBy(teamGroups.groupId);
  const result = prepareTenant({
    catalog,
    placements: config.placements,
    templateName: template.name,
    templateVersion: template.version,
    tenantName: form.tenantName,
    placement: form.placement,
    params: parametersFromForm(template.parameters, form.fields),
    team: { slug: team.slug, groups },
    requestedBy: viewer.email ?? viewer.name,
    requestId: opts.requestId ?? "preview",
    expiresAt: opts.expiresAt,
    labelDomain: config.labelDomain,
    now: new Date(),
  });
  if (!result.ok) throw new ValidationError(result.errors);
  return result.value;
}
