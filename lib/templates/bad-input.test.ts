import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { prepareExample } from "./test-support";

const errorsOf = async (template: string, change: Parameters<typeof prepareExample>[1]) => {
  const r = await prepareExample(template, change);
  return r.ok ? {} : r.errors;
};

describe("bad input is rejected with the field named, or rendered inert", () => {
  it.each([
    ["a\nkind: ClusterRole", "Line breaks, control and invisible characters are not allowed."],
    ["x".repeat(201), "Use at most 200 characters."],
    ["inv\u200bisible", "Line breaks, control and invisible characters are not allowed."],
    ["bidi \u202eevil", "Line breaks, control and invisible characters are not allowed."],
    ["next\u0085line", "Line breaks, control and invisible characters are not allowed."],
  ])("free text %j", async (purpose, message) => {
    expect(await errorsOf("shared-vcluster", { params: { purpose } })).toEqual({ "param.purpose": message });
  });

  it.each([
    "{{ params.size }}",
    "*anchor",
    "&anchor x",
    "--- !!js/function",
    "'; DROP TABLE teams; --",
    "Zahlungsverkehr für Ärzte 🚀",
  ])("free text %j is stored byte for byte, never interpreted", async (purpose) => {
    const r = await prepareExample("shared-vcluster", { params: { purpose } });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const record = r.value.rendered.files.find((f) => f.path.endsWith("tenant.yaml"))!;
    const docs = parseAllDocuments(record.content);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.errors).toEqual([]);
    expect(docs[0]!.toJS().spec.parameters.purpose).toBe(purpose);
    for (const f of r.value.rendered.files) expect(f.content).not.toContain("params.size }}\n");
  });

  it.each([
    ["Demo", "Use lowercase letters"],
    ["раyments", "Use lowercase letters"], // Cyrillic look-alikes
    ["demo\nx", "Use lowercase letters"],
    ["a".repeat(41), "Use at most 40 characters"],
    ["de", "Use at least 3 characters."],
    ["-demo", "Use lowercase letters"],
  ])("tenant name %j", async (tenantName, message) => {
    expect((await errorsOf("shared-vcluster", { tenantName })).tenantName).toContain(message);
  });

  it("names enum, type and unknown-parameter violations", async () => {
    const errors = await errorsOf("shared-vcluster", {
      params: { size: "XXL", argocd: "yes", extra: 1, kubernetesVersion: "1.20" },
    });
    expect(errors).toEqual({
      "param.size": "Choose one of: S, M, L.",
      "param.argocd": "Must be a boolean.",
      "param.extra": "Unknown parameter.",
      // The placement offers 1.33 and 1.32; the template's vCluster runs only the latter.
      "param.kubernetesVersion": "Choose one of: 1.32, 1.31, 1.30.",
    });
  });

  it("checks nested node pools and the options of the chosen target", async () => {
    const errors = await errorsOf("dedicated-onprem", {
      params: {
        kubernetesVersion: "v1.32.0---vmware.6-fips.1-tkg.1",
        vmClass: "huge",
        storageClass: "vsan-default",
        nodePools: [{ name: "Bad Name", vmClass: "guaranteed-large", replicas: 0 }],
      },
    });
    expect(errors).toEqual({
      "param.vmClass": "Choose one of: best-effort-medium, guaranteed-large.",
      "param.nodePools.0.name": "Lowercase letters, digits and hyphens, at most 20 characters.",
      "param.nodePools.0.replicas": "Must be at least 1.",
    });
  });

  it.each([
    [
      "dedicated-onprem",
      {
        kubernetesVersion: "v1.32.0---vmware.6-fips.1-tkg.1",
        vmClass: "best-effort-medium",
        storageClass: "vsan-default",
        nodePools: [
          { name: "workers", vmClass: "guaranteed-large", replicas: 1 },
          { name: "batch", vmClass: "guaranteed-large", replicas: 1 },
          { name: "workers", vmClass: "best-effort-medium", replicas: 2 },
        ],
      },
    ],
    [
      "dedicated-aks",
      {
        kubernetesVersion: "1.32",
        systemVmSize: "Standard_D4s_v5",
        nodePools: [
          { name: "workers", vmSize: "Standard_D8s_v5", replicas: 1 },
          { name: "batch", vmSize: "Standard_D8s_v5", replicas: 1 },
          { name: "workers", vmSize: "Standard_D4s_v5", replicas: 2 },
        ],
      },
    ],
  ])("%s refuses two node pools of one name on the later pool's name field", async (template, params) => {
    expect(await errorsOf(template, { params })).toEqual({
      "param.nodePools.2.name": '"workers" is already used by entry 1; each must be unique.',
    });
  });

  it("keeps AKS user pools off the name of the system pool", async () => {
    const errors = await errorsOf("dedicated-aks", {
      params: {
        kubernetesVersion: "1.32",
        systemVmSize: "Standard_D4s_v5",
        nodePools: [{ name: "system", vmSize: "Standard_D8s_v5", replicas: 1 }],
      },
    });
    expect(errors["param.nodePools.0.name"]).toContain("system is taken by the system pool");
  });

  it("requires a placement target that exists for the template's kind", async () => {
    expect(await errorsOf("dedicated-aks", { placement: "shared-east/team-pool" })).toEqual({
      placement: "Choose a placement target.",
    });
    expect(await errorsOf("dedicated-aks", { placements: [] })).toEqual({
      placement: "No placement target is configured for this kind of tenant; ask your platform team.",
    });
  });

  it("refuses an unknown template", async () => {
    expect(await errorsOf("shared-vcluster", { templateName: "nope" })).toEqual({
      template: "Template nope does not exist.",
    });
  });
});
