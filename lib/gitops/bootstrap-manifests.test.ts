import { describe, expect, it } from "vitest";
import { teamAppNamespace, teamProject } from "@/lib/gitops/argocd-names";
import { bootstrapObjects } from "./bootstrap-manifests";
import type { AnyObject } from "@/lib/templates/upstream/variants";
import { HEALTH_CUSTOMIZATIONS } from "./argocd-health";

const objects = bootstrapObjects({
  repoURL: "https://git.example.com/platform/gitops.git",
  revision: "main",
  labelDomain: "berth.io",
  argocdNamespace: "argocd",
});
const all = Object.values(objects).flat() as AnyObject[];
const byName = (kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata.name === name)!;

describe("bootstrap/", () => {
  it("names, for a tenant of team payments, the project and namespace the templates render", () => {
    const appSet = byName("ApplicationSet", "berth-tenants");
    const spec = appSet.spec.template.spec;
    expect(spec.project.replace("{{ .spec.team }}", "payments")).toBe(teamProject("payments"));
    expect(spec.destination.namespace.replace("{{ .spec.team }}", "payments")).toBe(teamAppNamespace("payments"));
  });

  it("orders the sync: settings and the platform project, then the team projects, then the ApplicationSet", () => {
    const wave = (o: AnyObject) => Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);
    expect(wave(byName("AppProject", "berth-platform"))).toBe(-2);
    expect(wave(byName("ConfigMap", "argocd-cm"))).toBe(-2);
    expect(wave(byName("Application", "berth-team-projects"))).toBe(-1);
    expect(wave(byName("ApplicationSet", "berth-tenants"))).toBe(0);
  });

  it("never takes over, prunes or deletes Argo CD's own ConfigMaps", () => {
    for (const name of ["argocd-cm", "argocd-cmd-params-cm"])
      expect(byName("ConfigMap", name).metadata.annotations["argocd.argoproj.io/sync-options"]).toBe(
        "ServerSideApply=true,Prune=false,Delete=false",
      );
    expect(byName("ConfigMap", "argocd-cm").data).toEqual(HEALTH_CUSTOMIZATIONS);
    expect(byName("ConfigMap", "argocd-cmd-params-cm").data).toEqual({ "application.namespaces": "berth-apps-*" });
  });

  it("keeps the platform project to Argo CD's namespace and the teams' Applications namespaces", () => {
    const p = byName("AppProject", "berth-platform").spec;
    expect(p.sourceRepos).toEqual(["https://git.example.com/platform/gitops.git"]);
    expect(p.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "argocd" }]);
    expect(p.clusterResourceWhitelist).toEqual([{ group: "", kind: "Namespace", name: "berth-apps-*" }]);
  });
});
