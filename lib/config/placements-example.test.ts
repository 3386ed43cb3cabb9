import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlacements } from "./placements";

// The README points platform teams at this file; it must load exactly as Berth would load theirs.
const EXAMPLE = path.join(import.meta.dirname, "..", "..", "config", "placements.example.yaml");

describe("config/placements.example.yaml", () => {
  it("is a valid placements file with one target of each kind", () => {
    const placements = loadPlacements(EXAMPLE);
    expect(placements.map((p) => `${p.kind}:${p.name}`)).toEqual([
      "vcluster-host:shared-weu",
      "tanzu:vsphere-dc1",
      "aks:azure-weu",
    ]);
    const host = placements[0];
    if (host?.kind !== "vcluster-host") throw new Error("first target is not a vcluster-host");
    expect(host.nodePools.map((p) => p.name)).toEqual(["shared", "payments", "gpu"]);
    expect(host.nodePools[2]!.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
  });
});

describe("placements file", () => {
  it("refuses a node pool listed twice, naming the entry and field", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "placements-")), "p.yaml");
    writeFileSync(
      file,
      "placements:\n  - { kind: vcluster-host, name: h, title: H, destination: https://h.example.com, domain: h.example.com, nodePools: [{ name: a }, { name: a }] }\n",
    );
    expect(() => loadPlacements(file)).toThrow(`${file}: placements.0.nodePools.1.name: node pool "a" is listed twice`);
  });
});
