import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { parseAllDocuments } from "yaml";
import { PROJECT_VALUES_FILE } from "@/lib/gitops/argocd-names";
import { compileParameterSchema } from "./params";
import { templateManifest, templateRef, type Template, type TemplateFile, type TemplateLoadError } from "./schema";

/** Where template folders are read from: the built-in directory or the GitOps repository. */
export type FileSource = {
  kind: "builtin" | "git";
  list: (dir: string) => Promise<string[]>; // file paths (relative to the source root) under dir
  read: (file: string) => Promise<string>;
};

export const BUILTIN_TEMPLATES_DIR = path.join(process.cwd(), "templates", "builtin");

export function directorySource(root: string): FileSource {
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) out.push(...(await walk(rel)));
      else out.push(rel);
    }
    return out;
  };
  return { kind: "builtin", list: walk, read: (file) => readFile(path.join(root, file), "utf8") };
}

function parseYaml(text: string, file: string): unknown[] {
  // Aliases are refused: a template is reviewed as written, without hidden references.
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
  return list.map((d) => d.toJS({ maxAliasCount: 0 })).filter((d) => d !== null && d !== undefined);
}

/** Loads every `<name>/<version>/template.yaml` (+ files/*.yaml) under `root`; bad ones become errors. */
export async function loadTemplates(
  source: FileSource,
  root: string,
): Promise<{ templates: Template[]; errors: TemplateLoadError[] }> {
  const all = await source.list(root);
  const manifests = all.filter(
    (f) =>
      /\/[^/]+\/[^/]+\/template\.ya?ml$/.test(`/${path.posix.relative(root, f)}`) &&
      path.posix.relative(root, f).split("/").length === 3,
  );
  const templates: Template[] = [];
  const errors: TemplateLoadError[] = [];
  for (const manifestFile of manifests.sort()) {
    const dir = path.posix.dirname(manifestFile);
    try {
      const [raw] = parseYaml(await source.read(manifestFile), manifestFile);
      const parsed = templateManifest.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${issue.path.join(".") || "(root)"}: ${issue.message}`);
      }
      const m = parsed.data;
      const [folderName, folderVersion] = path.posix.relative(root, dir).split("/");
      if (folderName !== m.name || folderVersion !== m.version) {
        throw new Error(`folder ${folderName}/${folderVersion} does not match ${templateRef(m)}`);
      }
      compileParameterSchema(m.parameters); // an invalid JSON Schema is a template error, found now
      const files: TemplateFile[] = [];
      for (const f of all.filter((x) => x.startsWith(`${dir}/files/`) && /\.ya?ml$/.test(x)).sort()) {
        const name = path.posix.basename(f);
        if (!/^[a-z0-9][a-z0-9-]*\.ya?ml$/.test(name) || name === "tenant.yaml" || name === PROJECT_VALUES_FILE)
          throw new Error(
            `${f}: file names are lowercase kebab-case .yaml; tenant.yaml and ${PROJECT_VALUES_FILE} are Berth's`,
          );
        files.push({ name, body: parseYaml(await source.read(f), f) });
      }
      if (files.length === 0 && !m.filesFrom) throw new Error("no files/*.yaml and no filesFrom");
      templates.push({ ...m, source: { kind: source.kind, path: dir }, files });
    } catch (err) {
      errors.push({ source: source.kind, file: manifestFile, error: (err as Error).message });
    }
  }
  return { templates, errors };
}

export type Catalog = { templates: Template[]; errors: TemplateLoadError[] };

/** Built-ins plus Git: the same name@version from Git replaces the built-in; new versions sit beside. */
export function mergeCatalog(builtin: Catalog, git: Catalog): Catalog {
  const byRef = new Map(builtin.templates.map((t) => [templateRef(t), t]));
  for (const t of git.templates) byRef.set(templateRef(t), t);
  const errors = [...builtin.errors, ...git.errors];
  const templates = [...byRef.values()].filter((t) => {
    if (!t.filesFrom || byRef.has(t.filesFrom)) return true;
    errors.push({
      source: t.source.kind,
      file: `${t.source.path}/template.yaml`,
      error: `filesFrom ${t.filesFrom} is not in the catalog`,
    });
    return false;
  });
  templates.sort((a, b) => a.name.localeCompare(b.name) || semver.rcompare(a.version, b.version));
  return { templates, errors };
}
