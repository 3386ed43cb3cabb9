// The health checks bootstrap/ puts into argocd-cm, evaluated by Argo CD itself (`argocd admin
// settings resource-overrides health`, the same Lua evaluation the application controller runs),
// so a tenant is not Healthy before its cluster is.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { bootstrapObjects } from "@/lib/gitops/bootstrap-manifests";
import { UPSTREAM } from "@/lib/templates/upstream/modules";
import { loadTestEnv } from "./env";

function argocdBinary(): string {
  const fromEnv = process.env.BERTH_ARGOCD_BIN ?? (loadTestEnv() as { argocd?: { binary?: string } }).argocd?.binary;
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  const bin = fromEnv ?? path.join(cache, "berth", "testenv", `argocd-${UPSTREAM.argocd.version}`, "argocd");
  if (!existsSync(bin)) throw new Error(`no Argo CD binary at ${bin} (set BERTH_ARGOCD_BIN)`);
  return bin;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "argocd-health-"));
const cm = path.join(dir, "argocd-cm.yaml");
const settings = bootstrapObjects({
  repoURL: "https://git.example.com/x.git",
  revision: "main",
  labelDomain: "berth.io",
  argocdNamespace: "argocd",
})["bootstrap/argocd-settings.yaml"]!.find((o) => (o as { metadata: { name: string } }).metadata.name === "argocd-cm");
writeFileSync(cm, stringify(settings));

let n = 0;
function health(obj: Record<string, unknown>): { status: string; message: string } {
  const file = path.join(dir, `obj-${n++}.yaml`);
  writeFileSync(file, stringify(obj));
  const out = execFileSync(
    argocdBinary(),
    ["admin", "settings", "resource-overrides", "health", file, "--argocd-cm-path", cm],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const status = /^STATUS: (.*)$/m.exec(out)?.[1];
  if (!status) throw new Error(`no health from Argo CD: ${out}`);
  return { status, message: /^MESSAGE: (.*)$/m.exec(out)?.[1] ?? "" };
}

const meta = { name: "demo", namespace: "tenants", generation: 2 };
const ready = (status: string, extra: Record<string, unknown> = {}) => ({
  type: "Ready",
  status,
  observedGeneration: 2,
  ...extra,
});

describe("Argo CD health of what tenants are made of", () => {
  it("takes an app-of-apps child Application's own health", () => {
    const app = (status?: unknown) => ({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: meta,
      ...(status ? { status } : {}),
    });
    expect(health(app())).toEqual({ status: "Progressing", message: "" });
    expect(health(app({ health: { status: "Degraded", message: "back-off pulling image" } }))).toEqual({
      status: "Degraded",
      message: "back-off pulling image",
    });
    expect(health(app({ health: { status: "Healthy" } })).status).toBe("Healthy");
  });

  it.each([
    ["containerservice.azure.com/v1api20240901", "ManagedCluster"],
    ["containerservice.azure.com/v1api20240901", "ManagedClustersAgentPool"],
    ["resources.azure.com/v1api20200601", "ResourceGroup"],
  ])("reads Azure Service Operator's Ready condition on %s %s", (apiVersion, kind) => {
    const obj = (conditions?: unknown[]) => ({
      apiVersion,
      kind,
      metadata: meta,
      spec: {},
      ...(conditions ? { status: { conditions } } : {}),
    });
    expect(health(obj()).status).toBe("Progressing");
    expect(
      health(obj([ready("False", { severity: "Info", reason: "Reconciling", message: "being reconciled" })])),
    ).toEqual({
      status: "Progressing",
      message: "being reconciled",
    });
    expect(
      health(obj([ready("False", { severity: "Error", reason: "QuotaExceeded", message: "quota exceeded" })])),
    ).toEqual({
      status: "Degraded",
      message: "quota exceeded",
    });
    expect(
      health(obj([ready("False", { severity: "Warning", reason: "Throttled", message: "retrying" })])).status,
    ).toBe("Degraded");
    expect(health(obj([ready("True", { observedGeneration: 1 })])).status).toBe("Progressing"); // not seen the change yet
    expect(health(obj([ready("True")])).status).toBe("Healthy");
  });

  it("reads a TanzuKubernetesCluster's phase and Ready condition", () => {
    const tkc = (status: unknown) => ({
      apiVersion: "run.tanzu.vmware.com/v1alpha3",
      kind: "TanzuKubernetesCluster",
      metadata: meta,
      spec: {},
      status,
    });
    expect(health(tkc({ phase: "creating" })).status).toBe("Progressing");
    expect(health(tkc({ phase: "running", conditions: [ready("True")] }))).toEqual({
      status: "Healthy",
      message: "Cluster is running",
    });
    expect(health(tkc({ phase: "failed" })).status).toBe("Degraded");
    expect(
      health(tkc({ phase: "creating", conditions: [ready("False", { severity: "Error", message: "no capacity" })] })),
    ).toEqual({
      status: "Degraded",
      message: "no capacity",
    });
  });

  it("leaves Cluster API's Cluster to Argo CD's built-in check (Provisioned phase)", () => {
    const cluster = (status: unknown) => ({
      apiVersion: "cluster.x-k8s.io/v1beta1",
      kind: "Cluster",
      metadata: meta,
      spec: {},
      status,
    });
    expect(Object.keys((settings as { data: object }).data).some((k) => k.includes("cluster.x-k8s.io"))).toBe(false);
    expect(health(cluster({ phase: "Provisioning" })).status).toBe("Progressing");
    expect(health(cluster({ phase: "Provisioned" })).status).toBe("Healthy");
    expect(health(cluster({ phase: "Failed" })).status).toBe("Degraded");
  });
});
