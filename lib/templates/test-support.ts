import path from "node:path";
import { loadPlacements } from "@/lib/config/placements";
import { getCatalog } from "./catalog";
import { prepareTenant, type PrepareInput } from "./prepare";

export const TEST_PLACEMENTS = loadPlacements(path.join(import.meta.dirname, "testdata", "placements.yaml"));

// A complete, valid request per built-in template; tests vary one field at a time.
export const EXAMPLES: Record<string, { placement: string; params: Record<string, unknown> }> = {
  sandbox: { placement: "shared-east/team-pool", params: {} },
  "shared-vcluster": {
    placement: "shared-east/team-pool",
    params: { size: "M", apiExposure: "loadbalancer", purpose: "payments staging" },
  },
  "dedicated-onprem": {
    placement: "vsphere-dc1",
    params: {
      kubernetesVersion: "v1.32.0---vmware.6-fips.1-tkg.1",
      vmClass: "best-effort-medium",
      storageClass: "vsan-default",
      nodePools: [{ name: "workers", vmClass: "guaranteed-large", replicas: 3 }],
    },
  },
  "dedicated-aks": {
    placement: "azure-weu",
    params: {
      kubernetesVersion: "1.32",
      systemVmSize: "Standard_D4s_v5",
      nodePools: [{ name: "apps", vmSize: "Standard_D8s_v5", replicas: 2 }],
    },
  },
};

export async function prepareExample(template: string, change: Partial<PrepareInput> = {}) {
  const example = EXAMPLES[template]!;
  return prepareTenant({
    catalog: await getCatalog(),
    placements: TEST_PLACEMENTS,
    templateName: template,
    tenantName: "demo",
    placement: example.placement,
    params: example.params,
    team: {
      slug: "payments",
      groups: [
        { id: "berth-team-payments", role: "member" },
        { id: "berth-team-payments-owners", role: "owner" },
      ],
    },
    requestedBy: "dev.patel@example.test",
    requestId: "00000000-0000-4000-8000-00000000000a",
    labelDomain: "berth.io",
    now: new Date("2026-11-24T12:00:00Z"),
    ...change,
  });
}
