import { parseAllDocuments } from "yaml";
import { placementSchema, type Placement } from "@/lib/config/placements";
import { EXAMPLES, prepareExample, TEST_PLACEMENTS } from "../test-support";

// Representative requests of every built-in template: each example, and for vCluster tenants every
// API exposure and node pools with and without tolerations (Equal and Exists), so the upstream
// checks see every shape of every rendered value.
const poolHost = placementSchema.parse({
  kind: "vcluster-host",
  name: "pools",
  title: "Pools",
  destination: "https://kubernetes.default.svc",
  domain: "pools.example.com",
  kubernetesVersions: ["1.32", "1.31", "1.30"],
  nodePools: [
    { name: "plain" },
    {
      name: "gpu",
      nodeSelector: { "node-pool": "gpu", "example.com/zone": "a" },
      tolerations: [
        { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
        { key: "dedicated", operator: "Equal", value: "gpu", effect: "NoExecute" },
        { key: "spot", effect: "PreferNoSchedule" },
      ],
    },
  ],
});
export const VARIANT_PLACEMENTS: Placement[] = [...TEST_PLACEMENTS, poolHost];

export type Variant = { label: string; template: string; placement: string; params: Record<string, unknown> };

export const VARIANTS: Variant[] = [
  ...Object.entries(EXAMPLES).map(([template, e]) => ({ label: `${template} example`, template, ...e })),
  ...["ingress", "loadbalancer", "internal"].flatMap((apiExposure) =>
    ["pools/plain", "pools/gpu"].map((placement) => ({
      label: `shared-vcluster ${apiExposure} on ${placement}`,
      template: "shared-vcluster",
      placement,
      params: { size: "L", apiExposure, kubernetesVersion: "1.30", argocd: true, kyvernoBaseline: true },
    })),
  ),
  {
    label: "shared-vcluster without Argo CD and Kyverno",
    template: "shared-vcluster",
    placement: "pools/gpu",
    params: { size: "S", apiExposure: "ingress", argocd: false, kyvernoBaseline: false },
  },
  { label: "sandbox on pools/gpu", template: "sandbox", placement: "pools/gpu", params: { kubernetesVersion: "1.31" } },
  {
    label: "dedicated-onprem with three pools",
    template: "dedicated-onprem",
    placement: "vsphere-dc1",
    params: {
      kubernetesVersion: "v1.32.0---vmware.6-fips.1-tkg.1",
      controlPlaneReplicas: 1,
      vmClass: "guaranteed-large",
      storageClass: "vsan-default",
      nodePools: [
        { name: "a", vmClass: "best-effort-medium", replicas: 1 },
        { name: "b-2", vmClass: "guaranteed-large", replicas: 50 },
        { name: "c", vmClass: "guaranteed-large", replicas: 3 },
      ],
    },
  },
  {
    label: "dedicated-aks with five pools",
    template: "dedicated-aks",
    placement: "azure-weu",
    params: {
      kubernetesVersion: "1.32",
      systemVmSize: "Standard_D8s_v5",
      systemNodes: 5,
      nodePools: ["a", "b", "c", "d", "e"].map((name, i) => ({ name, vmSize: "Standard_D4s_v5", replicas: i + 1 })),
    },
  },
];

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of any kind, read field by field in tests
export type AnyObject = Record<string, any>;
export type RenderedObject = { variant: string; file: string; object: AnyObject };
export type RenderedVariant = { variant: Variant; tenant: string; files: { path: string; content: string }[] };

/** Renders every variant (tenant names <prefix>0, <prefix>1, …); one that does not validate fails loudly. */
export async function renderVariants(opts: { prefix?: string; team?: string } = {}): Promise<RenderedVariant[]> {
  const out: RenderedVariant[] = [];
  for (const [i, variant] of VARIANTS.entries()) {
    const tenant = `${opts.prefix ?? "var"}${i}`;
    const r = await prepareExample(variant.template, {
      placements: VARIANT_PLACEMENTS,
      placement: variant.placement,
      params: variant.params,
      tenantName: tenant,
      ...(opts.team ? { team: { slug: opts.team, groups: [{ id: `berth-team-${opts.team}`, role: "member" }] } } : {}),
    });
    if (!r.ok) throw new Error(`${variant.label}: ${JSON.stringify(r.errors)}`);
    out.push({ variant, tenant, files: r.value.rendered.files });
  }
  return out;
}

/** Every Kubernetes object in the rendered files (v1 Lists flattened); Berth's own files left out. */
export function renderedObjects(rendered: RenderedVariant[]): RenderedObject[] {
  return rendered.flatMap(({ variant, files }) =>
    files
      .filter((f) => !/\/(tenant|argocd-project)\.yaml$/.test(f.path))
      .flatMap((f) =>
        parseAllDocuments(f.content).flatMap((d) => {
          const js = d.toJS() as AnyObject;
          const list = js?.kind === "List" ? (js.items as AnyObject[]) : [js];
          return list.map((object) => ({ variant: variant.label, file: f.path, object }));
        }),
      ),
  );
}

/** The Applications that install a given Helm chart, with their valuesObject. */
export function chartApplications(objects: RenderedObject[], chart: string) {
  return objects.filter((o) => o.object.kind === "Application" && o.object.spec?.source?.chart === chart);
}
