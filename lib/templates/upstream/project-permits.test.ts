import { describe, expect, it } from "vitest";
import { globMatch, permitsClusterResource, permitsDestination } from "./project-permits";

describe("AppProject matching (Argo CD's semantics)", () => {
  it("matches like Go's filepath.Match", () => {
    expect(globMatch("berth-apps-*", "berth-apps-payments")).toBe(true);
    expect(globMatch("berth-apps-*", "berth-apps")).toBe(false);
    expect(globMatch("tenant-demo", "tenant-demo2")).toBe(false);
    expect(globMatch("*", "a/b")).toBe(false);
    expect(globMatch("v?", "v1")).toBe(true);
    expect(globMatch("", "")).toBe(true);
  });

  it("permits a cluster-scoped object by group, kind and name, and a destination by cluster and namespace", () => {
    const p = {
      clusterResourceWhitelist: [{ group: "", kind: "Namespace", name: "tenant-a" }],
      destinations: [
        { server: "https://kubernetes.default.svc", namespace: "tenant-a" },
        { name: "a", namespace: "*" },
      ],
    };
    expect(permitsClusterResource(p, "", "Namespace", "tenant-a")).toBe(true);
    expect(permitsClusterResource(p, "", "Namespace", "tenant-b")).toBe(false);
    expect(permitsClusterResource(p, "rbac.authorization.k8s.io", "ClusterRole", "tenant-a")).toBe(false);
    expect(permitsDestination(p, { server: "https://kubernetes.default.svc" }, "tenant-a")).toBe(true);
    expect(permitsDestination(p, { server: "https://kubernetes.default.svc" }, "kube-system")).toBe(false);
    expect(permitsDestination(p, { name: "a" }, "kube-system")).toBe(true);
    expect(permitsDestination(p, { name: "b" }, "default")).toBe(false);
  });
});
