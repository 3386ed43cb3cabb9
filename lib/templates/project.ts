import { stringify } from "yaml";
import { PROJECT_VALUES_FILE } from "@/lib/gitops/argocd-names";
import { evaluate } from "./evaluate";
import { TemplateError, type Scope } from "./expressions";
import type { Template } from "./schema";

type Destination = { server?: string; name?: string; namespace: string };
type ClusterResource = { group: string; kind: string; name: string };
export type TenantProject = {
  team: string;
  sourceRepos: string[];
  destinations: Destination[];
  clusterResources: ClusterResource[];
};

// Argo CD matches these fields as globs (filepath.Match); a rendered value must name one thing.
const GLOB = /[*?[\]\\]/;

function exact(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") throw new TemplateError(`project.${field} must render to a string`);
  if (GLOB.test(value)) throw new TemplateError(`project.${field} "${value}" must not be a pattern`);
  return value;
}

/** The template's project section, evaluated for one tenant; every value must be exact. */
export function renderTenantProject(template: Template, filesTemplate: Template | undefined, scope: Scope) {
  const section = template.project ?? filesTemplate?.project;
  const team = String((scope.team as { slug: string }).slug);
  const out = evaluate(section ?? {}, scope) as Partial<TenantProject>;
  const project: TenantProject = {
    team,
    sourceRepos: (out.sourceRepos ?? []).map((r, i) => exact(r, `sourceRepos.${i}`)),
    destinations: (out.destinations ?? []).map((d, i) => ({
      ...(d.server !== undefined ? { server: exact(d.server, `destinations.${i}.server`) } : {}),
      ...(d.name !== undefined ? { name: exact(d.name, `destinations.${i}.name`) } : {}),
      // A registered cluster of the tenant's own (by name) may be used in every namespace.
      namespace: d.name !== undefined && d.namespace === "*" ? "*" : exact(d.namespace, `destinations.${i}.namespace`),
    })),
    clusterResources: (out.clusterResources ?? []).map((c, i) => ({
      // The core group is "", which is exact too.
      group: c.group === "" ? "" : exact(c.group, `clusterResources.${i}.group`),
      kind: exact(c.kind, `clusterResources.${i}.kind`),
      name: exact(c.name, `clusterResources.${i}.name`),
    })),
  };
  return project;
}

/** `tenants/<t>/argocd-project.yaml`: keyed by tenant, so every tenant's file merges into one Helm values tree. */
export function projectValuesFile(dir: string, tenant: string, project: TenantProject, yamlOptions: object) {
  const header =
    "# This tenant's part of its team's Argo CD AppProject: Helm values read by bootstrap/team-projects.\n";
  return {
    path: `${dir}/${PROJECT_VALUES_FILE}`,
    content: header + stringify({ tenants: { [tenant]: project } }, yamlOptions),
  };
}
