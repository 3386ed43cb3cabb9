import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Upstream Go modules whose own schemas, CRDs and types decide whether what Berth renders is
// correct. Tests read them from the Go module cache (`go mod download` fetches a missing one
// from the module proxy); nothing of them is copied into this repository.
export const UPSTREAM = {
  vcluster: { module: "github.com/loft-sh/vcluster", version: "v0.26.0" },
  argocd: { module: "github.com/argoproj/argo-cd/v3", version: "v3.6.1" },
  clusterApi: { module: "sigs.k8s.io/cluster-api", version: "v1.14.2" },
  externalSecrets: { module: "github.com/external-secrets/external-secrets", version: "v1.3.2" },
  kyverno: { module: "github.com/kyverno/kyverno", version: "v1.19.1" },
  certManager: { module: "github.com/cert-manager/cert-manager", version: "v1.21.2" },
  azureServiceOperator: { module: "github.com/Azure/azure-service-operator/v2", version: "v2.18.0" },
} as const;

export type UpstreamModule = { module: string; version: string };

const dirs = new Map<string, string>();
let modCache: string | undefined;

function goModCache(): string {
  modCache ??= execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
  return modCache;
}

// The module cache spells upper-case letters as "!" + lower case (golang.org/x/mod/module).
const escapePath = (p: string) => p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);

/** The module's directory in the Go module cache, downloading it first when it is missing. */
export function moduleDir(m: UpstreamModule): string {
  const key = `${m.module}@${m.version}`;
  let dir = dirs.get(key);
  // Already extracted (a module whose go.mod wants a newer Go than this one is still readable).
  if (!dir) {
    const cached = path.join(goModCache(), `${escapePath(m.module)}@${m.version}`);
    if (existsSync(path.join(cached, "go.mod"))) {
      dir = cached;
      dirs.set(key, dir);
    }
  }
  if (!dir) {
    let out: string;
    try {
      out = execFileSync("go", ["mod", "download", "-json", key], {
        encoding: "utf8",
        // Outside any module, so no go.mod decides what is downloaded.
        cwd: tmpdir(),
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 300_000,
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`go mod download ${key} failed: ${e.stdout || e.stderr || e.message}`);
    }
    const info = JSON.parse(out) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${key}: ${info.Error ?? "no Dir in the answer"}`);
    dir = info.Dir;
    dirs.set(key, dir);
  }
  return dir;
}
