import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { moduleDir, UPSTREAM } from "./modules";
import { chartApplications, renderedObjects, renderVariants, type RenderedObject } from "./variants";

// argo-helm is not a Go module and its charts cannot be fetched here, so the value keys Berth sets
// for the argo-cd chart were read from argo-helm itself: charts/argo-cd/README.md at commit
// 0048f7bb2dace6ae185828b723306c209e0237ad, whose values tables helm-docs generates from
// charts/argo-cd/values.yaml (an 8.x chart: its newest changelog entry is 8.0.0, "deploy Argo CD
// v3.0"). All of these keys date from 7.x or before (6.0.0 ingress hostname/tls, 6.1.0
// global.domain, 6.9.0 "ApplicationSet controller is always created"), so they hold for the 8.3.0
// the templates pin. There is no `applicationSet.enabled` in 8.x: `applicationSet.replicas: 0`.
const CHART_VERSION = "8.3.0";
const VERIFIED: Record<string, "boolean" | "number" | "string" | "object" | "array" | "map"> = {
  "crds.install": "boolean", // | crds.install | bool | `true` | Install and upgrade CRDs |
  createClusterRoles: "boolean", // | createClusterRoles | bool | `true` | Create cluster roles for cluster-wide installation. |
  "global.domain": "string", // | global.domain | string | `"argocd.example.com"` |
  "global.nodeSelector": "map", // | global.nodeSelector | object | `{"kubernetes.io/os":"linux"}` |
  "global.tolerations": "array", // | global.tolerations | list | `[]` |
  // "Any values you put under .Values.configs.cm are passed to argocd-cm ConfigMap" (README note).
  "configs.cm": "map",
  'configs.params."server.insecure"': "boolean", // | configs.params."server.insecure" | bool | `false` |
  "server.ingress.enabled": "boolean", // | server.ingress.enabled | bool | `false` |
  "server.ingress.ingressClassName": "string", // | server.ingress.ingressClassName | string | `""` |
  "server.ingress.tls": "boolean", // | server.ingress.tls | bool | `false` |
  "server.ingress.annotations": "map", // | server.ingress.annotations | object | `{}` |
  "dex.enabled": "boolean", // | dex.enabled | bool | `true` |
  "notifications.enabled": "boolean", // | notifications.enabled | bool | `true` |
  "applicationSet.replicas": "number", // | applicationSet.replicas | int | `1` |
};

/** Leaf paths in helm-docs spelling (keys with dots quoted); maps listed in VERIFIED stop the walk. */
function paths(value: unknown, prefix = ""): [string, unknown][] {
  if (value === null || typeof value !== "object" || Array.isArray(value) || VERIFIED[prefix] === "map")
    return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) =>
    paths(v, prefix ? `${prefix}.${k.includes(".") ? `"${k}"` : k}` : k),
  );
}

const typeOf = (v: unknown) => (Array.isArray(v) ? "array" : v !== null && typeof v === "object" ? "map" : typeof v);

let apps: RenderedObject[] = [];
beforeAll(async () => {
  apps = chartApplications(renderedObjects(await renderVariants()), "argo-cd");
}, 120_000);

describe(`argo-cd chart values (argo-helm argo-cd ${CHART_VERSION})`, () => {
  it("install the pinned chart version", () => {
    expect(apps.length).toBeGreaterThanOrEqual(8);
    for (const a of apps) expect(a.object.spec.source.targetRevision, a.variant).toBe(CHART_VERSION);
  });

  it("set only keys the chart has, with the chart's types", () => {
    for (const a of apps)
      for (const [key, value] of paths(a.object.spec.source.helm.valuesObject)) {
        expect(Object.keys(VERIFIED), `${a.variant}: ${key}`).toContain(key);
        expect(typeOf(value), `${a.variant}: ${key}`).toBe(VERIFIED[key]);
      }
  });

  it("make the team's Argo CD namespace-scoped, without an ApplicationSet controller or the host as a destination", () => {
    // argocd-cm keys must be ones Argo CD reads (its own docs/operator-manual/argocd-cm.yaml), as strings.
    const cm = parse(
      readFileSync(path.join(moduleDir(UPSTREAM.argocd), "docs", "operator-manual", "argocd-cm.yaml"), "utf8"),
    ) as { data: Record<string, unknown> };
    for (const a of apps) {
      const v = a.object.spec.source.helm.valuesObject;
      expect(v.createClusterRoles, a.variant).toBe(false);
      expect(v.crds.install, a.variant).toBe(false);
      expect(v.applicationSet, a.variant).toEqual({ replicas: 0 });
      expect(v.configs.cm, a.variant).toEqual({ "cluster.inClusterEnabled": "false" });
      for (const key of Object.keys(v.configs.cm)) expect(Object.keys(cm.data), key).toContain(key);
    }
  });
});
