// GET /api/v1/templates: the catalog as the caller may use it (same filter as the catalog page).
import "server-only";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { listTeams } from "@/lib/teams/queries";
import { getCatalog, latestTemplates, placementChoices, placementOptions } from "@/lib/templates/catalog";
import { requestableTemplates } from "@/lib/templates/service";

export type ApiTemplate = {
  name: string;
  version: string;
  versions: string[];
  kind: string;
  title: string;
  description: string;
  source: "builtin" | "git";
  policy: {
    autoApprove: boolean;
    allowedRoles: string[];
    perUser: boolean;
    selfApproval: boolean;
    ttl: { defaultHours: number; maxHours: number } | null;
  };
  teams: string[];
  parameters: Record<string, unknown>;
  placements: {
    value: string;
    label: string;
    target: string;
    nodePool: string | null;
    options: Record<string, string[]>;
  }[];
};

/** The newest version of each template the viewer may request, with every version, teams and targets. */
export async function listApiTemplates(viewer: Viewer): Promise<ApiTemplate[]> {
  const catalog = await getCatalog();
  const placements = getConfig().placements;
  // The teams the viewer can see (every team for platform admins), as on the catalog page.
  const teams = (await listTeams(getDb(), viewer)).map((t) => t.slug);
  return requestableTemplates(viewer, latestTemplates(catalog)).map((t) => ({
    name: t.name,
    version: t.version,
    versions: catalog.templates.filter((v) => v.name === t.name).map((v) => v.version),
    kind: t.kind,
    title: t.title,
    description: t.description,
    source: t.source.kind,
    policy: {
      autoApprove: t.policy.autoApprove,
      allowedRoles: t.policy.allowedRoles,
      perUser: t.policy.perUser,
      selfApproval: t.policy.selfApproval,
      ttl: t.policy.ttl ?? null,
    },
    teams: teams.filter((team) => can(viewer, "template.request", { template: t, team })),
    parameters: t.parameters,
    // Only what a client chooses between; destinations and secret stores stay server-side.
    placements: placementChoices(t, placements).map((c) => ({
      value: c.value,
      label: c.label,
      target: c.placement.name,
      nodePool: c.nodePool ?? null,
      options: placementOptions(c.placement),
    })),
  }));
}
