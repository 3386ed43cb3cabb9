import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { getCatalog } from "../catalog";
import { runGoChecker } from "./go-checker";
import { moduleDir, UPSTREAM } from "./modules";
import { chartApplications, renderedObjects, renderVariants, type RenderedObject } from "./variants";

// Helm values Berth writes for the vCluster chart, checked by vCluster itself (github.com/loft-sh/
// vcluster@v0.26.0 from the Go module cache): the chart's chart/values.schema.json, and its config
// package decoding strictly plus the syncer's toleration parser (testenv/vcluster-values).
let apps: RenderedObject[] = [];
const dir = () => moduleDir(UPSTREAM.vcluster);

beforeAll(async () => {
  apps = chartApplications(renderedObjects(await renderVariants()), "vcluster");
}, 120_000);

describe(`vCluster values (${UPSTREAM.vcluster.module}@${UPSTREAM.vcluster.version})`, () => {
  it("are rendered for every vCluster variant, installing the chart version of that module", () => {
    expect(apps.length).toBeGreaterThanOrEqual(9);
    for (const a of apps) expect(`v${a.object.spec.source.targetRevision}`, a.variant).toBe(UPSTREAM.vcluster.version);
  });

  it("validate against the chart's own values.schema.json", () => {
    const schema = JSON.parse(readFileSync(path.join(dir(), "chart", "values.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    for (const a of apps) {
      validate(a.object.spec.source.helm.valuesObject);
      expect(validate.errors ?? [], a.variant).toEqual([]);
    }
  });

  it(
    "decode strictly into vCluster's config.Config, every enforced toleration parsed by vCluster",
    () => {
      const problems = runGoChecker<string[][]>(
        "vcluster-values",
        apps.map((a) => a.object.spec.source.helm.valuesObject),
      );
      expect(Object.fromEntries(apps.map((a, i) => [a.variant, problems[i]]))).toEqual(
        Object.fromEntries(apps.map((a) => [a.variant, []])),
      );
      // The strings the syncer receives (sync.toHost.pods.enforceTolerations, key[=value]:Effect).
      const gpu = apps.find((a) => a.variant === "shared-vcluster ingress on pools/gpu")!;
      expect(gpu.object.spec.source.helm.valuesObject.sync.toHost.pods.enforceTolerations).toEqual([
        "nvidia.com/gpu:NoSchedule",
        "dedicated=gpu:NoExecute",
        "spot=:PreferNoSchedule",
      ]);
    },
    20 * 60_000,
  );

  it("run each offered Kubernetes version with the image vCluster itself uses for it", async () => {
    // config/default_extra_values.go: K8SVersionMap = { "1.32": "ghcr.io/loft-sh/kubernetes:v1.32.1", … }
    const source = readFileSync(path.join(dir(), "config", "default_extra_values.go"), "utf8");
    const block = /var K8SVersionMap = map\[string\]string\{([^}]*)\}/.exec(source)?.[1] ?? "";
    const upstream = Object.fromEntries(
      [...block.matchAll(/"(\d+\.\d+)":\s*"ghcr\.io\/loft-sh\/kubernetes:(v[^"]+)"/g)].map((m) => [m[1], m[2]]),
    );
    expect(Object.keys(upstream).length).toBeGreaterThan(0);
    const catalog = await getCatalog();
    for (const name of ["shared-vcluster", "sandbox"]) {
      const t = catalog.templates.find((x) => x.name === name)!;
      expect(t.values.kubernetesImageTags, name).toEqual(upstream);
      const version = (t.parameters.properties as Record<string, { enum?: string[] }>).kubernetesVersion!;
      expect(version.enum?.slice().sort(), name).toEqual(Object.keys(upstream).sort());
    }
  });
});
