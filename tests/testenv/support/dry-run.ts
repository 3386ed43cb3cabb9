// Server-side dry run of arbitrary objects on the test environment's kube-apiserver: discovery
// finds each kind's resource, and create runs with dryRun=All and fieldValidation=Strict, so
// the API server's own validation (OpenAPI, CRD schemas with CEL rules, admission) decides.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { kube, type TestEnv } from "../env";

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // biome-ignore lint/suspicious/noExplicitAny: any kind of object, sent to the API server as is
  [k: string]: any;
};
type ApiResource = { name: string; kind: string; namespaced: boolean };

const discovery = new Map<string, ApiResource[] | null>();

/** The resource that serves apiVersion/kind, or null when the API server does not serve it. */
export async function resourceFor(env: TestEnv, apiVersion: string, kind: string): Promise<ApiResource | null> {
  if (!discovery.has(apiVersion)) {
    const r = await kube<{ resources: ApiResource[] }>(
      env,
      apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
    );
    discovery.set(apiVersion, r.status === 200 ? r.json.resources.filter((x) => !x.name.includes("/")) : null);
  }
  return discovery.get(apiVersion)?.find((x) => x.kind === kind) ?? null;
}

export async function ensureNamespaces(env: TestEnv, names: Iterable<string>): Promise<string[]> {
  const created: string[] = [];
  for (const name of new Set(names)) {
    const r = await kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name } } });
    if (r.status === 201) created.push(name);
    else if (r.status !== 409) throw new Error(`create namespace ${name}: ${r.status} ${r.text}`);
  }
  return created;
}

export async function deleteNamespaces(env: TestEnv, names: string[]): Promise<void> {
  for (const n of names) await kube(env, `/api/v1/namespaces/${n}`, { method: "DELETE" });
}

/** The API server's answer to creating the object with dryRun=All: null when accepted. */
export async function dryRunProblem(env: TestEnv, obj: K8sObject): Promise<string | null> {
  const res = await resourceFor(env, obj.apiVersion, obj.kind);
  if (!res) return `${obj.apiVersion} ${obj.kind} is not served by the API server`;
  const base = obj.apiVersion.includes("/") ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = res.namespaced ? `/namespaces/${obj.metadata.namespace ?? "default"}` : "";
  let r = await kube(env, `${base}${ns}/${res.name}?dryRun=All&fieldValidation=Strict`, {
    method: "POST",
    body: obj,
  });
  // Objects that exist already (Argo CD's own argocd-cm, which bootstrap/ adds keys to): a
  // server-side apply dry run, as `kubectl apply --server-side -f bootstrap/` does.
  if (r.status === 409) {
    const name = encodeURIComponent(obj.metadata.name);
    r = await kube(
      env,
      `${base}${ns}/${res.name}/${name}?dryRun=All&fieldValidation=Strict&fieldManager=berth-dry-run&force=true`,
      {
        method: "PATCH",
        body: obj,
        contentType: "application/apply-patch+yaml",
      },
    );
  }
  if (r.status === 200 || r.status === 201) {
    const warning = r.headers.warning;
    return warning ? `accepted with warning: ${String(warning)}` : null;
  }
  return `${r.status} ${(r.json as { message?: string })?.message ?? r.text}`;
}

/** `helm template` with the environment's helm binary; returns the rendered objects. */
export function helmTemplate(
  env: TestEnv,
  opts: { release: string; chart: string; namespace: string; values: unknown[]; apiVersions?: string[] },
): K8sObject[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "berth-helm-"));
  const args = ["template", opts.release, opts.chart, "--namespace", opts.namespace];
  opts.values.forEach((v, i) => {
    const file = path.join(dir, `values-${i}.json`);
    writeFileSync(file, JSON.stringify(v));
    args.push("--values", file);
  });
  for (const a of opts.apiVersions ?? []) args.push("--api-versions", a);
  const out = execFileSync(env.helm.binary, args, { encoding: "utf8", env: { ...process.env, ...env.helm.env } });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject)
    .filter((o) => o && typeof o === "object" && o.kind);
}
