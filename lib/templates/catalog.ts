import "server-only";
import semver from "semver";
import type { Placement } from "@/lib/config/placements";
import {
  BUILTIN_TEMPLATES_DIR,
  directorySource,
  loadTemplates,
  mergeCatalog,
  type Catalog,
  type FileSource,
} from "./load";
import { PLACEMENT_KIND_OF, templateRef, type Template } from "./schema";

type GitTemplates = { source: FileSource; ttlMs: number; cached?: { at: number; catalog: Promise<Catalog> } };
const store = globalThis as typeof globalThis & {
  __berthBuiltinCatalog?: Promise<Catalog>;
  __berthGitTemplates?: GitTemplates | null;
};
const EMPTY: Catalog = { templates: [], errors: [] };

/** Reads templates/ of the GitOps repository too (set at start-up); re-read at most every ttlMs. */
export function readGitTemplatesFrom(source: FileSource | null, ttlMs = 60_000): void {
  store.__berthGitTemplates = source ? { source, ttlMs } : null;
}

async function loadGit(source: FileSource): Promise<Catalog> {
  try {
    return await loadTemplates(source, "templates");
  } catch (err) {
    // The forge being unreachable must not take the built-ins down with it.
    return {
      templates: [],
      errors: [{ source: "git", file: "templates/", error: `could not be read: ${(err as Error).message}` }],
    };
  }
}

function gitCatalog(): Promise<Catalog> {
  const git = store.__berthGitTemplates;
  if (!git) return Promise.resolve(EMPTY);
  if (!git.cached || Date.now() - git.cached.at > git.ttlMs)
    git.cached = { at: Date.now(), catalog: loadGit(git.source) };
  return git.cached.catalog;
}

/** Built-in templates (read once per process) merged with the GitOps repository's templates/. */
export async function getCatalog(opts: { git?: FileSource } = {}): Promise<Catalog> {
  store.__berthBuiltinCatalog ??= loadTemplates(directorySource(BUILTIN_TEMPLATES_DIR), ".");
  const [builtin, git] = await Promise.all([store.__berthBuiltinCatalog, opts.git ? loadGit(opts.git) : gitCatalog()]);
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
  // The catalog is sorted newest first within a name, so the first of each name is the newest.
  const newest = new Map<string, Template>();
  for (const t of catalog.templates) if (!newest.has(t.name)) newest.set(t.name, t);
  return [...newest.values()];
}

export type PlacementChoice = { value: string; label: string; placement: Placement; nodePool?: string };

/** Targets a template can land on: "target/pool" for vCluster hosts, "target" for dedicated kinds. */
export function placementChoices(template: Template, placements: readonly Placement[]): PlacementChoice[] {
  const kind = PLACEMENT_KIND_OF[template.kind];
  return placements
    .filter((p) => p.kind === kind)
    .flatMap((p): PlacementChoice[] =>
      p.kind === "vcluster-host"
        ? p.nodePools.map((pool) => ({
            value: `${p.name}/${pool.name}`,
            label: `${p.title} · ${pool.title ?? pool.name}`,
            placement: p,
            nodePool: pool.name,
          }))
        : [{ value: p.name, label: p.title, placement: p }],
    );
}

/** Values for x-berth-options in parameter schemas, from the chosen target. */
export function placementOptions(p: Placement): Record<string, string[]> {
  switch (p.kind) {
    case "vcluster-host":
      return { kubernetesVersions: p.kubernetesVersions };
    case "tanzu":
      return { kubernetesVersions: p.kubernetesVersions, vmClasses: p.vmClasses, storageClasses: p.storageClasses };
    case "aks":
      return { kubernetesVersions: p.kubernetesVersions, vmSizes: p.vmSizes };
  }
}
