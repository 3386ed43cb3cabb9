import semver from "semver";
import type { Placement } from "@/lib/config/placements";
import { BUILTIN_TEMPLATES_DIR, directorySource, loadTemplates, mergeCatalog, type Catalog, type FileSource } from "./load";
import { PLACEMENT_KIND_OF, templateRef, type Template } from "./schema";

const store = globalThis as typeof globalThis & { __berthBuiltinCatalog?: Promise<Catalog> };

/** Built-in templates (read once per process) merged with the GitOps repository's templates/. */
export async function getCatalog(opts: { git?: FileSource } = {}): Promise<Catalog> {
  store.__berthBuiltinCatalog ??= loadTemplates(directorySource(BUILTIN_TEMPLATES_DIR), ".");
  const builtin = await store.__berthBuiltinCatalog;
  const git = opts.git ? await loadTemplates(opts.git, "templates") : { templates: [], errors: [] };
  return mergeCatalog(builtin, git);
}

/** A template by name, at a version or the newest one. */
export function findTemplate(catalog: Catalog, name: string, version?: string): Template | undefined {
  const candidates = catalog.templates.filter((t) => t.name === name && (!version || t.version === version));
  return candidates.sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

export function findFilesTemplate(catalog: Catalog, template: Template): Template | undefined {
  return template.filesFrom ? catalog.templates.find((t) => templateRef(t) === template.filesFrom) : template;
}

/** The newest version of each template, for the catalog page. */
export function latestTemplates(catalog: Catalog): Template[] {
  const seen = new Set<string>();
  return catalog.templates.filter((t) => (seen.has(t.name) ? false : (seen.add(t.name), true)));
}

export type PlacementChoice = { value: string; label: string; placement: Placement; nodePool?: string };

/** Targets a template can land on: "target/pool" for vCluster hosts, "target" for dedicated kinds. */
export function placementChoices(template: Template, placements: readonly Placement[]): PlacementChoice[] {
  const kind = PLACEMENT_KIND_OF[template.kind];
  return placements
    .filter((p) => p.kind === kind)
    .flatMap((p): PlacementChoice[] =>
      p.kind === "vcluster-host"
        ? p.nodePools.map((pool) => ({ value: `${p.name}/${pool.name}`, label: `${p.title} · ${pool.title ?? pool.name}`, placement: p, nodePool: pool.name }))
        : [{ value: p.name, label: p.title, placement: p }],
    );
}

/** Values for x-berth-options in parameter schemas, from the chosen target. */
export function placementOptions(p: Placement): Record<string, string[]> {
  switch (p.kind) {
    case "vcluster-host": return { kubernetesVersions: p.kubernetesVersions };
    case "tanzu": return { kubernetesVersions: p.kubernetesVersions, vmClasses: p.vmClasses, storageClasses: p.storageClasses };
    case "aks": return { kubernetesVersions: p.kubernetesVersions, vmSizes: p.vmSizes };
  }
}
