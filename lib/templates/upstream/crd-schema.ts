import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { moduleDir, UPSTREAM, type UpstreamModule } from "./modules";

// Where each custom resource Berth renders is defined upstream: the project's own CRD manifest in
// its Go module. Azure Service Operator ships no CRD manifests in its module (the operator installs
// them itself); its objects are checked with its Go types instead (testenv/aso-objects).
export const CRD_FILES: Record<string, { upstream: UpstreamModule; file: string }> = {
  "argoproj.io/Application": { upstream: UPSTREAM.argocd, file: "manifests/crds/application-crd.yaml" },
  "argoproj.io/ApplicationSet": { upstream: UPSTREAM.argocd, file: "manifests/crds/applicationset-crd.yaml" },
  "argoproj.io/AppProject": { upstream: UPSTREAM.argocd, file: "manifests/crds/appproject-crd.yaml" },
  "cluster.x-k8s.io/Cluster": {
    upstream: UPSTREAM.clusterApi,
    file: "core/config/crd/bases/cluster.x-k8s.io_clusters.yaml",
  },
  "external-secrets.io/ExternalSecret": {
    upstream: UPSTREAM.externalSecrets,
    file: "config/crds/bases/external-secrets.io_externalsecrets.yaml",
  },
  "external-secrets.io/ClusterExternalSecret": {
    upstream: UPSTREAM.externalSecrets,
    file: "config/crds/bases/external-secrets.io_clusterexternalsecrets.yaml",
  },
  "external-secrets.io/SecretStore": {
    upstream: UPSTREAM.externalSecrets,
    file: "config/crds/bases/external-secrets.io_secretstores.yaml",
  },
  "policies.kyverno.io/NamespacedValidatingPolicy": {
    upstream: UPSTREAM.kyverno,
    file: "config/crds/policies.kyverno.io/policies.kyverno.io_namespacedvalidatingpolicies.yaml",
  },
  "cert-manager.io/Certificate": {
    upstream: UPSTREAM.certManager,
    file: "deploy/crds/cert-manager.io_certificates.yaml",
  },
};

export const ASO_GROUPS = new Set(["containerservice.azure.com", "resources.azure.com"]);

// Kubernetes' own API groups: the API server's dry run is their check.
export const BUILTIN_GROUPS = new Set([
  "",
  "apps",
  "rbac.authorization.k8s.io",
  "networking.k8s.io",
  "policy",
  "batch",
]);

export const DEPRECATED_ON_PURPOSE = new Set(["cluster.x-k8s.io/Cluster/v1beta1"]);

type Crd = {
  spec: {
    group: string;
    names: { kind: string };
    scope: string;
    versions: { name: string; served: boolean; deprecated?: boolean; schema?: { openAPIV3Schema: unknown } }[];
  };
};

const crds = new Map<string, Crd>();

export function loadCrd(groupKind: string): Crd {
  let crd = crds.get(groupKind);
  if (!crd) {
    const src = CRD_FILES[groupKind];
    if (!src) throw new Error(`no upstream CRD known for ${groupKind}`);
    const file = path.join(moduleDir(src.upstream), src.file);
    const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as Crd);
    crd = docs.find((d) => `${d?.spec?.group}/${d?.spec?.names?.kind}` === groupKind);
    if (!crd) throw new Error(`${file} does not define ${groupKind}`);
    crds.set(groupKind, crd);
  }
  return crd;
}

/**
 * The CRD's schema as the API server applies it with fieldValidation=Strict: an object with
 * `properties` and neither `additionalProperties` nor x-kubernetes-preserve-unknown-fields takes no
 * other field. CEL rules (x-kubernetes-validations) are left to the API server's dry run.
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === "enum" || k === "default" || k === "example" ? v : strict(v);
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"])
    out.additionalProperties = false;
  // metadata is the API server's to validate (ObjectMeta), and CRDs leave it open.
  if (out.properties && (out.properties as Record<string, unknown>).metadata)
    (out.properties as Record<string, unknown>).metadata = { type: "object" };
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

/** Problems of one object against the served version of its upstream CRD (empty when valid). */
export function crdProblems(obj: { apiVersion?: string; kind?: string; [field: string]: unknown }): string[] {
  const [group, version] = String(obj.apiVersion).split("/");
  const gk = `${group}/${obj.kind}`;
  const crd = loadCrd(gk);
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) return [`${gk} has no version ${version} (upstream: ${crd.spec.versions.map((x) => x.name).join(", ")})`];
  if (!v.served) return [`${gk} ${version} is not served upstream`];
  // Deliberate: vSphere with Tanzu supervisors serve Cluster API v1beta1 (not yet v1beta2), and
  // Cluster API v1.14 still serves it (deprecated). Any other deprecated version is a problem.
  const allowed = DEPRECATED_ON_PURPOSE.has(`${gk}/${version}`);
  const problems = v.deprecated && !allowed ? [`${gk} ${version} is deprecated upstream`] : [];
  const key = `${gk}/${version}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(strict(v.schema?.openAPIV3Schema ?? {}) as object);
    validators.set(key, validate);
  }
  if (!validate(obj))
    for (const e of validate.errors ?? [])
      problems.push(`${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
  return problems;
}
