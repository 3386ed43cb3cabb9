// Upstream CRDs, as the projects publish them in their Go modules: copied from the module cache at
// build time into the cache folder `crds-<hash>`, installed at start (plus the hand-written
// fixtures of test-fixtures/crds, only for what no upstream module publishes: Tanzu).
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { goModDownload, type Runner } from "./go";
import { type KubeClient, waitForCrds } from "./kube-api";
import { ARGOCD_GOTOOLCHAIN, CRD_MODULES, FIXTURE_CRD_DIR, type Versions } from "./versions";

interface CrdSource {
  /** Key of CRD_MODULES, or "argocd" (the version of testenv/argocd/go.mod). */
  from: keyof typeof CRD_MODULES | "argocd";
  /** Files inside the module. */
  files?: string[];
  /** Go packages (relative to the module) to run controller-gen over, and the CRDs to keep from its output. */
  generate?: { packages: string[]; keep: string[] };
}

const SOURCES: CrdSource[] = [
  {
    from: "argocd",
    files: ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"].map((f) => `manifests/crds/${f}`),
  },
  { from: "capi", files: ["config/crd/bases/cluster.x-k8s.io_clusters.yaml"] },
  {
    // ASO publishes its CRDs only as a release asset (not reachable here, not in the module): they
    // are generated as upstream generates them (controller-gen crd:allowDangerousTypes=true) from
    // the module's own types, for the one API version Berth renders (served and stored as is).
    from: "aso",
    generate: {
      packages: ["./api/containerservice/v1api20240901", "./api/resources/v1api20200601"],
      keep: [
        "managedclusters.containerservice.azure.com",
        "managedclustersagentpools.containerservice.azure.com",
        "resourcegroups.resources.azure.com",
      ],
    },
  },
  {
    from: "kyverno",
    files: [
      ...["kyverno.io_policies.yaml", "kyverno.io_clusterpolicies.yaml"].map((f) => `config/crds/kyverno/${f}`),
      "config/crds/policies.kyverno.io/policies.kyverno.io_namespacedvalidatingpolicies.yaml",
    ],
  },
  {
    from: "certManager",
    files: ["cert-manager.io_certificates.yaml", "cert-manager.io_clusterissuers.yaml"].map((f) => `deploy/crds/${f}`),
  },
  {
    from: "externalSecrets",
    files: [
      "external-secrets.io_externalsecrets.yaml",
      "external-secrets.io_clusterexternalsecrets.yaml",
      "external-secrets.io_secretstores.yaml",
      "external-secrets.io_clustersecretstores.yaml",
    ].map((f) => `config/crds/bases/${f}`),
  },
];

const moduleOf = (s: CrdSource, v: Versions): { module: string; version: string; env: Record<string, string> } =>
  s.from === "argocd"
    ? { module: "github.com/argoproj/argo-cd/v3", version: v.argocd, env: { GOTOOLCHAIN: ARGOCD_GOTOOLCHAIN } }
    : { module: CRD_MODULES[s.from].module, version: CRD_MODULES[s.from].version, env: {} };

/** The cache key: every module version and file the CRD set is made of. */
export function crdsVersion(v: Versions): string {
  const key = JSON.stringify({ sources: SOURCES.map((s) => ({ ...s, ...moduleOf(s, v) })), gen: v.controllerTools });
  return crypto.createHash("sha256").update(key).digest("hex").slice(0, 12);
}

export interface CrdManifest {
  files: { file: string; module: string; version: string; source: string }[];
}

export async function buildCrds(outDir: string, run: Runner, v: Versions, controllerGen: string): Promise<void> {
  const manifest: CrdManifest = { files: [] };
  for (const s of SOURCES) {
    const { module, version, env } = moduleOf(s, v);
    const dir = await goModDownload(run, module, version, env);
    for (const f of s.files ?? []) {
      const file = `${manifest.files.length.toString().padStart(2, "0")}-${path.basename(f)}`;
      await fsp.copyFile(path.join(dir, f), path.join(outDir, file));
      manifest.files.push({ file, module, version, source: f });
    }
    if (s.generate) {
      const gen = path.join(outDir, ".gen");
      const paths = s.generate.packages.map((p) => `paths=${p}`);
      await run(controllerGen, ["crd:crdVersions=v1,allowDangerousTypes=true", ...paths, `output:crd:dir=${gen}`], {
        cwd: dir,
      });
      for (const name of s.generate.keep) {
        const [plural, ...group] = name.split(".");
        const generated = path.join(gen, `${group.join(".")}_${plural}.yaml`);
        if (!fs.existsSync(generated)) throw new Error(`controller-gen did not generate ${name} (${generated})`);
        const file = `${manifest.files.length.toString().padStart(2, "0")}-${path.basename(generated)}`;
        await fsp.copyFile(generated, path.join(outDir, file));
        manifest.files.push({ file, module, version, source: `controller-gen ${s.generate.packages.join(" ")}` });
      }
      await fsp.rm(gen, { recursive: true, force: true });
    }
  }
  await fsp.writeFile(path.join(outDir, "crds.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

function documents(file: string): string[] {
  return fs
    .readFileSync(file, "utf8")
    .split(/^---\s*$/m)
    .filter((d) => /^kind:\s*CustomResourceDefinition/m.test(d));
}

/** Creates every CRD (upstream ones from the cache folder, then the fixtures) and waits until each is served. */
export async function installCrds(kube: KubeClient, cacheDir: string): Promise<string[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(cacheDir, "crds.json"), "utf8")) as CrdManifest;
  const files = [
    ...manifest.files.map((f) => path.join(cacheDir, f.file)),
    ...(await fsp.readdir(FIXTURE_CRD_DIR)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(FIXTURE_CRD_DIR, f)),
  ];
  const names: string[] = [];
  for (const file of files) {
    for (const doc of documents(file)) {
      const r = await kube.request("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
        method: "POST",
        body: doc,
        headers: { "content-type": "application/yaml" },
      });
      if (r.status !== 201) throw new Error(`creating the CRD of ${file}: HTTP ${r.status}: ${r.text.slice(0, 2000)}`);
      names.push((r.json() as { metadata: { name: string } }).metadata.name);
    }
  }
  await waitForCrds(kube, names);
  return names;
}
