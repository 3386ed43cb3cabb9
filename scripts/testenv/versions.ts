// Every pinned version of the test environment, each in exactly one place: Go tools in the build
// modules under testenv/ (read here), the rest in the constants below.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");
export const TESTENV_DIR = path.join(REPO_ROOT, "testenv");
export const TOOLS_DIR = path.join(TESTENV_DIR, "tools");
export const ARGOCD_DIR = path.join(TESTENV_DIR, "argocd");
export const KWOK_DIR = path.join(TESTENV_DIR, "kwok");
export const FIXTURE_CRD_DIR = path.join(REPO_ROOT, "test-fixtures", "crds");
export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, ".data", "testenv");
export const DEFAULT_PLACEMENTS = ["default", path.join(REPO_ROOT, "lib", "templates", "testdata", "placements.yaml")];
export const CACHE_ROOT = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"),
  "berth",
  "testenv",
);

/**
 * Gitea is built from a copy of its module source (its go.mod has replace directives, so it cannot
 * be a tool of a build module). v1.27.x depends on modules the proxy refuses (see the README).
 */
export const GITEA_VERSION = "v1.26.4";

/** Argo CD v3.6.1 declares go 1.27.0: its build module alone uses this toolchain (from the proxy). */
export const ARGOCD_GOTOOLCHAIN = "go1.27.3";

/**
 * Modules whose published CRDs the environment installs (copied from the module cache at build
 * time). Argo CD's come from the Argo CD build module, Azure Service Operator's are generated from
 * its module's Go types (it publishes them only as a release asset); see crds.ts.
 */
export const CRD_MODULES = {
  // v1.10 is the last release line storing Cluster as v1beta1 (what Berth renders); from v1.11 the
  // storage version is v1beta2 and v1beta1 objects need CAPI's conversion webhook.
  capi: { module: "sigs.k8s.io/cluster-api", version: "v1.10.10" },
  aso: { module: "github.com/Azure/azure-service-operator/v2", version: "v2.18.0" },
  kyverno: { module: "github.com/kyverno/kyverno", version: "v1.19.1" },
  certManager: { module: "github.com/cert-manager/cert-manager", version: "v1.21.2" },
  externalSecrets: { module: "github.com/external-secrets/external-secrets", version: "v1.3.2" },
} as const;

function requiredVersion(dir: string, mod: string): string {
  const file = path.join(dir, "go.mod");
  const gomod = fs.readFileSync(file, "utf8");
  const re = new RegExp(`^\\s*(?:require\\s+)?${mod.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s+(v\\S+)`, "m");
  const m = gomod.match(re);
  if (!m?.[1]) throw new Error(`${mod} is not required in ${file}`);
  return m[1];
}

export interface Versions {
  etcd: string;
  kubernetes: string;
  helm: string;
  controllerTools: string;
  gitea: string;
  argocd: string;
  kwok: string;
}

export function versions(): Versions {
  return {
    etcd: requiredVersion(TOOLS_DIR, "go.etcd.io/etcd/server/v3"),
    kubernetes: requiredVersion(TOOLS_DIR, "k8s.io/kubernetes"),
    helm: requiredVersion(TOOLS_DIR, "helm.sh/helm/v3"),
    controllerTools: requiredVersion(TOOLS_DIR, "sigs.k8s.io/controller-tools"),
    gitea: GITEA_VERSION,
    argocd: requiredVersion(ARGOCD_DIR, "github.com/argoproj/argo-cd/v3"),
    kwok: requiredVersion(KWOK_DIR, "sigs.k8s.io/kwok"),
  };
}
