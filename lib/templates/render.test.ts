import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { PROJECT_VALUES_FILE } from "@/lib/gitops/argocd-names";
import { getCatalog } from "./catalog";
import { EXAMPLES, prepareExample } from "./test-support";

const GOLDEN = path.join(import.meta.dirname, "golden");
const update = process.env.UPDATE_GOLDEN === "1";

// Rendered YAML of every kind, checked against the golden files (which the upstream schemas check).
// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary Kubernetes objects.
function objects(content: string): Record<string, any>[] {
  return parseAllDocuments(content).flatMap((d) => {
    const js = d.toJS();
    return js?.kind === "List" ? js.items : [js];
  });
}

describe("built-in templates", () => {
  it("all load without errors", async () => {
    const catalog = await getCatalog();
    expect(catalog.errors).toEqual([]);
    expect(catalog.templates.map((t) => `${t.name}@${t.version}`).sort()).toEqual([
      "dedicated-aks@1.0.0",
      "dedicated-onprem@1.0.0",
      "sandbox@1.0.0",
      "shared-vcluster@1.0.0",
    ]);
  });

  for (const name of Object.keys(EXAMPLES)) {
    describe(name, () => {
      it("renders exactly the golden files", async () => {
        const result = await prepareExample(name);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const dir = path.join(GOLDEN, name);
        if (update) {
          mkdirSync(dir, { recursive: true });
          for (const f of result.value.rendered.files) writeFileSync(path.join(dir, path.basename(f.path)), f.content);
        }
        expect(result.value.rendered.files.map((f) => path.basename(f.path)).sort()).toEqual(readdirSync(dir).sort());
        for (const f of result.value.rendered.files) {
          expect(f.path.startsWith("tenants/demo/")).toBe(true);
          expect(f.content, f.path).toBe(readFileSync(path.join(dir, path.basename(f.path)), "utf8"));
        }
      });

      it("is deterministic and labels every object with tenant, team and request", async () => {
        const a = await prepareExample(name);
        const b = await prepareExample(name);
        if (!a.ok || !b.ok) throw new Error("invalid example");
        expect(a.value.rendered).toEqual(b.value.rendered);
        for (const f of a.value.rendered.files) {
          expect(f.content).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
          if (f.path.endsWith(`/${PROJECT_VALUES_FILE}`)) continue; // Helm values, not an object
          for (const o of objects(f.content)) {
            expect(o.metadata?.labels, `${f.path} ${o.kind}`).toMatchObject({
              "berth.io/tenant": "demo",
              "berth.io/team": "payments",
              "berth.io/request": "00000000-0000-4000-8000-00000000000a",
            });
          }
        }
      });
    });
  }

  it("puts the node pool's selector and tolerations on the vCluster and its workloads", async () => {
    const r = await prepareExample("shared-vcluster");
    if (!r.ok) throw new Error("invalid");
    const vc = objects(r.value.rendered.files.find((f) => f.path.endsWith("vcluster.yaml"))!.content)[0]!;
    const values = vc.spec.source.helm.valuesObject;
    expect(values.controlPlane.statefulSet.scheduling).toEqual({
      nodeSelector: { "node-pool": "team-pool" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "team-pool", effect: "NoSchedule" }],
    });
    // vCluster takes strings here (config.SyncPods.EnforceTolerations []string), not objects.
    expect(values.sync.toHost.pods.enforceTolerations).toEqual(["dedicated=team-pool:NoSchedule"]);
    expect(values.sync.fromHost.nodes.selector.labels).toEqual({ "node-pool": "team-pool" });
  });

  it("sizes the quota from the chosen size", async () => {
    const r = await prepareExample("shared-vcluster");
    if (!r.ok) throw new Error("invalid");
    const [quota] = objects(r.value.rendered.files.find((f) => f.path.endsWith("quota.yaml"))!.content);
    expect(quota!.spec.hard).toMatchObject({ "requests.cpu": "4", "requests.memory": "8Gi" });
  });

  it("gives a sandbox an expiry from its policy and binds its owner", async () => {
    const r = await prepareExample("sandbox");
    if (!r.ok) throw new Error("invalid");
    expect(r.value.expiresAt).toBe("2026-12-01T12:00:00.000Z");
    const [binding] = objects(r.value.rendered.files.find((f) => f.path.endsWith("rbac.yaml"))!.content);
    expect(binding!.subjects.at(-1)).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "User",
      name: "dev.patel@example.test",
    });
  });

  it("leaves out optional parts that are switched off", async () => {
    const r = await prepareExample("shared-vcluster", { params: { argocd: false, kyvernoBaseline: false } });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const names = r.value.rendered.files.map((f) => path.basename(f.path));
    expect(names).not.toContain("argocd.yaml");
    expect(names).not.toContain("kyverno.yaml");
    expect(existsSync(GOLDEN)).toBe(true);
  });
});

describe("quota", () => {
  it("counts a tenant's size against the team quota", async () => {
    const r = await prepareExample("shared-vcluster");
    const s = await prepareExample("sandbox");
    const d = await prepareExample("dedicated-aks");
    if (!r.ok || !s.ok || !d.ok) throw new Error("invalid");
    expect(r.value.quota).toEqual({ cpuMillis: 4000, memoryMib: 8192 });
    expect(s.value.quota).toEqual({ cpuMillis: 1000, memoryMib: 2048 });
    expect(d.value.quota).toEqual({ cpuMillis: 0, memoryMib: 0 });
  });
});
