import { stringify } from "yaml";
import type { Placement } from "@/lib/config/placements";
import { evaluate } from "./evaluate";
import { interpolate, TemplateError, type Scope } from "./expressions";
import { teamAppNamespace, teamProject } from "@/lib/gitops/argocd-names";
import { projectValuesFile, renderTenantProject } from "./project";
import { templateRef, type Template } from "./schema";
import { vclusterToleration } from "./tolerations";

export type RenderInput = {
  template: Template;
  // Where filesFrom points; the caller resolves it from the catalog.
  filesTemplate?: Template;
  tenant: { name: string; team: string; requestedBy: string; expiresAt: string | null };
  teamGroups: { id: string; role: "member" | "owner" }[];
  params: Record<string, unknown>;
  placement: Placement;
  nodePool?: string;
  requestId: string;
  labelDomain: string;
};

export type RenderedFile = { path: string; content: string };
export type RenderResult = {
  files: RenderedFile[];
  outputs: Record<string, string>;
  quota: { cpu: string; memory: string };
};

// No anchors/aliases and no line folding: the output is reviewed in pull requests as plain YAML.
const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

export const tenantNamespace = (tenant: string) => `tenant-${tenant}`;

function scopeFor(input: RenderInput): Scope {
  const { placement } = input;
  const pool =
    placement.kind === "vcluster-host" ? placement.nodePools.find((p) => p.name === input.nodePool) : undefined;
  if (placement.kind === "vcluster-host" && !pool)
    throw new TemplateError(`placement ${placement.name} has no node pool "${input.nodePool ?? ""}"`);
  return {
    tenant: { ...input.tenant, namespace: tenantNamespace(input.tenant.name), perUser: input.template.policy.perUser },
    team: {
      slug: input.tenant.team,
      groups: input.teamGroups,
      project: teamProject(input.tenant.team),
      appNamespace: teamAppNamespace(input.tenant.team),
    },
    params: input.params,
    // The pool's tolerations as objects (pods, StatefulSets) and in vCluster's string form.
    placement: {
      ...placement,
      nodePool: pool ? { ...pool, enforceTolerations: pool.tolerations.map(vclusterToleration) } : null,
    },
    values: input.template.values,
    berth: { labelDomain: input.labelDomain, requestId: input.requestId, template: templateRef(input.template) },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every Kubernetes object (also inside a v1 List) gets Berth's labels; the status reader finds tenants by them. */
function withLabels(doc: unknown, labels: Record<string, string>): unknown {
  if (!isObject(doc) || typeof doc.kind !== "string") return doc;
  if (doc.kind === "List" && Array.isArray(doc.items))
    return { ...doc, items: doc.items.map((i) => withLabels(i, labels)) };
  if (!isObject(doc.metadata)) return doc;
  const existing = isObject(doc.metadata.labels) ? doc.metadata.labels : {};
  return { ...doc, metadata: { ...doc.metadata, labels: { ...existing, ...labels } } };
}

/** Renders a template into the files of `tenants/<tenant>/`, deterministically. */
export function renderTemplate(input: RenderInput): RenderResult {
  const scope = scopeFor(input);
  const source = input.template.filesFrom ? input.filesTemplate : input.template;
  if (!source) throw new TemplateError(`filesFrom ${input.template.filesFrom} was not provided`);
  const d = input.labelDomain;
  const labels = {
    [`${d}/tenant`]: input.tenant.name,
    [`${d}/team`]: input.tenant.team,
    [`${d}/request`]: input.requestId,
    "app.kubernetes.io/managed-by": "berth",
  };
  const dir = `tenants/${input.tenant.name}`;
  const record = {
    apiVersion: `${d}/v1`,
    kind: "Tenant",
    metadata: { name: input.tenant.name, labels },
    spec: {
      team: input.tenant.team,
      kind: input.template.kind,
      template: templateRef(input.template),
      placement: input.placement.name,
      ...(input.nodePool ? { nodePool: input.nodePool } : {}),
      parameters: input.params,
      requestedBy: input.tenant.requestedBy,
      expiresAt: input.tenant.expiresAt,
    },
  };
  const files: RenderedFile[] = [{ path: `${dir}/tenant.yaml`, content: stringify(record, YAML_OPTIONS) }];
  for (const file of source.files) {
    const docs: unknown[] = [];
    for (const body of file.body) {
      try {
        const out = evaluate(body, scope);
        if (out !== null) docs.push(withLabels(out, labels));
      } catch (err) {
        throw new TemplateError(`${source.source.path}/files/${file.name}: ${(err as Error).message}`);
      }
    }
    if (docs.length === 0) continue; // every document was conditional and switched off
    files.push({ path: `${dir}/${file.name}`, content: docs.map((doc) => stringify(doc, YAML_OPTIONS)).join("---\n") });
  }
  try {
    const project = renderTenantProject(input.template, input.filesTemplate, scope);
    files.push(projectValuesFile(dir, input.tenant.name, project, YAML_OPTIONS));
  } catch (err) {
    throw new TemplateError(`${input.template.source.path}/template.yaml: ${(err as Error).message}`);
  }
  const outputs: Record<string, string> = {};
  for (const [key, pattern] of Object.entries(input.template.outputs))
    outputs[key] = String(interpolate(pattern, scope));
  const q = input.template.quota;
  const quota = q
    ? { cpu: String(interpolate(q.cpu, scope)), memory: String(interpolate(q.memory, scope)) }
    : { cpu: "0", memory: "0" };
  return { files, outputs, quota };
}
