// Dedicated tenants' lives on the real components (Gitea, Argo CD v3.6.1 with bootstrap/ applied,
// Berth's services). Argo CD syncs the cluster objects for real; the Cluster API and Azure Service
// Operator controllers do not run here, so THIS TEST PATCHES THE OBJECTS' STATUS AS THOSE
// CONTROLLERS WOULD (first provisioning, then ready). Berth's phase comes from Argo CD's health
// (its built-in Cluster API check, bootstrap/'s ASO Lua) and the cluster objects, never from a
// hand-written Application status. The External Secrets controller does not run either: the
// cluster's ClusterExternalSecret gets its Ready condition from the test too.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { hex, waitForStatus } from "@/lib/cluster/live-test-support";
import { submitDecommissionRequest, submitUpdateRequest } from "@/lib/requests/change";
import { submitCreateRequest } from "@/lib/requests/submit";
import { actorOf, seedPeople } from "@/lib/requests/test-support";
import { eventually, kube } from "./env";
import { ensureNamespaces } from "./support/dry-run";
import { approveAndRefresh, env, exists, get, setupJourney, syncedTo, tenantIdOf } from "./support/journey";

const journey = setupJourney();
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** A merge-patch of the status subresource: what the object's controller would write. */
async function patchStatus(path: string, status: Record<string, unknown>): Promise<void> {
  const r = await kube(env, `${path}/status`, {
    method: "PATCH",
    body: { status },
    contentType: "application/merge-patch+json",
  });
  expect(r.status, r.text).toBe(200);
}

interface Case {
  template: string;
  placement: string;
  /** The namespace the placement keeps cluster objects in (lib/templates/testdata/placements.yaml). */
  namespace: string;
  fields: Record<string, string>;
  resize: Record<string, string>;
  /** API paths of the cluster objects, by tenant name. */
  objects: (t: string) => string[];
  /** Status as the controller writes it while provisioning, and once ready (per object path). */
  provisioning: (path: string) => Record<string, unknown>;
  ready: (path: string, generation: number) => Record<string, unknown>;
  /** What Berth shows as the blocker while provisioning: the controller's Ready condition. */
  provisioningMessage: string;
  /** The workers' size in the synced object, after the resize. */
  workers: (t: string) => Promise<number | undefined>;
}

const CAPI = (ns: string, t: string) => `/apis/cluster.x-k8s.io/v1beta1/namespaces/${ns}/clusters/${t}`;
const ASO = (ns: string) => ({
  rg: (t: string) => `/apis/resources.azure.com/v1api20200601/namespaces/${ns}/resourcegroups/rg-${t}`,
  aks: (t: string) => `/apis/containerservice.azure.com/v1api20240901/namespaces/${ns}/managedclusters/${t}`,
  pool: (t: string) =>
    `/apis/containerservice.azure.com/v1api20240901/namespaces/${ns}/managedclustersagentpools/${t}-workers`,
});
const aso = ASO("aso-clusters");
// The cluster's registration in Argo CD (External Secrets Operator v1 does not run here either).
const registration = (t: string) => `/apis/external-secrets.io/v1/clusterexternalsecrets/berth-cluster-${t}`;
const esoReady = () => ({ conditions: [{ type: "Ready", status: "True", lastTransitionTime: now() }] });

const CASES: Case[] = [
  {
    template: "dedicated-onprem",
    placement: "vsphere-dc1",
    namespace: "tenants",
    fields: {
      "param.kubernetesVersion": "v1.32.0---vmware.6-fips.1-tkg.1",
      "param.controlPlaneReplicas": "3",
      "param.vmClass": "best-effort-medium",
      "param.storageClass": "vsan-default",
      "param.nodePools.0.name": "workers",
      "param.nodePools.0.vmClass": "best-effort-medium",
      "param.nodePools.0.replicas": "2",
    },
    resize: { "param.nodePools.0.replicas": "4" },
    objects: (t) => [CAPI("tenants", t)],
    provisioningMessage: "WaitingForControlPlane",
    // Cluster API v1.10 (v1beta1): Ready False with severity Info all through provisioning.
    provisioning: () => ({
      phase: "Provisioning",
      infrastructureReady: false,
      controlPlaneReady: false,
      conditions: [
        {
          type: "Ready",
          status: "False",
          severity: "Info",
          reason: "WaitingForControlPlane",
          lastTransitionTime: now(),
        },
      ],
    }),
    ready: () => ({
      phase: "Provisioned",
      infrastructureReady: true,
      controlPlaneReady: true,
      conditions: [
        { type: "Ready", status: "True", lastTransitionTime: now() },
        { type: "ControlPlaneReady", status: "True", lastTransitionTime: now() },
        { type: "InfrastructureReady", status: "True", lastTransitionTime: now() },
      ],
    }),
    workers: async (t) =>
      (
        (await get(CAPI("tenants", t))).json as {
          spec?: { topology?: { workers?: { machineDeployments?: { replicas?: number }[] } } };
        }
      )?.spec?.topology?.workers?.machineDeployments?.[0]?.replicas,
  },
  {
    template: "dedicated-aks",
    placement: "azure-weu",
    namespace: "aso-clusters",
    fields: {
      "param.kubernetesVersion": "1.32",
      "param.systemVmSize": "Standard_D4s_v5",
      "param.systemNodes": "2",
      "param.nodePools.0.name": "workers",
      "param.nodePools.0.vmSize": "Standard_D4s_v5",
      "param.nodePools.0.replicas": "2",
    },
    resize: { "param.nodePools.0.replicas": "4" },
    objects: (t) => [aso.rg(t), aso.aks(t), aso.pool(t)],
    provisioningMessage: "The resource is in the process of being reconciled by the operator",
    // ASO v2 (genruntime/conditions): Ready False with severity Info while Azure provisions.
    provisioning: (p) => ({
      ...(p.includes("/managedclusters/") ? { provisioningState: "Creating" } : {}),
      conditions: [
        {
          type: "Ready",
          status: "False",
          severity: "Info",
          reason: "Reconciling",
          message: "The resource is in the process of being reconciled by the operator",
          lastTransitionTime: now(),
        },
      ],
    }),
    ready: (p, generation) => ({
      ...(p.includes("/managedclusters/") ? { provisioningState: "Succeeded" } : {}),
      conditions: [
        {
          type: "Ready",
          status: "True",
          severity: "",
          reason: "Succeeded",
          observedGeneration: generation,
          lastTransitionTime: now(),
        },
      ],
    }),
    workers: async (t) => ((await get(aso.pool(t))).json as { spec?: { count?: number } })?.spec?.count,
  },
];

describe("dedicated journeys on real Argo CD (cluster controllers' status patched by the test)", () => {
  for (const c of CASES) {
    it(`${c.template}: submit → merge → refresh → objects Synced → Provisioning → Ready → resize → decommission → pruned → Deleted`, async () => {
      const people = await seedPeople();
      const tenant = `jd-${hex()}`;
      await ensureNamespaces(env, [c.namespace]); // the placement's namespace, the platform team's
      const step = (requestId: string) =>
        approveAndRefresh({ requestId, tenant, approver: people.admin, reader: journey.reader() });
      const { requestId } = await submitCreateRequest({
        db: getDb(),
        viewer: people.owner, // dedicated clusters are a team owner's request
        actor: actorOf(people.owner),
        form: { template: c.template, team: "payments", tenantName: tenant, placement: c.placement, fields: c.fields },
      });
      const sha = await step(requestId);
      await eventually("tenant Application synced to the merge commit", () => syncedTo(tenant, sha), 60_000);
      for (const p of c.objects(tenant)) await eventually(p, () => exists(p), 30_000);
      const id = await tenantIdOf(tenant);

      for (const p of c.objects(tenant)) await patchStatus(p, c.provisioning(p));
      await waitForStatus(
        id,
        { phase: "Provisioning", message: c.provisioningMessage, synced_to_change: true },
        30_000,
      );

      for (const p of c.objects(tenant)) {
        const generation = ((await get(p)).json as { metadata: { generation: number } }).metadata.generation;
        await patchStatus(p, c.ready(p, generation));
      }
      await patchStatus(registration(tenant), esoReady());
      await waitForStatus(id, { phase: "Ready", synced_to_change: true }, 30_000);

      const { requestId: resizeId } = await submitUpdateRequest({
        db: getDb(),
        viewer: people.owner,
        actor: actorOf(people.owner),
        tenantName: tenant,
        fields: { ...c.fields, ...c.resize },
      });
      const resized = await step(resizeId);
      await eventually(
        "the new size in the cluster",
        async () => ((await c.workers(tenant)) === 4 ? true : undefined),
        60_000,
      );
      await waitForStatus(id, { revision: resized, synced_to_change: true }, 30_000);

      const { requestId: decommissionId } = await submitDecommissionRequest({
        db: getDb(),
        viewer: people.owner,
        actor: actorOf(people.owner),
        tenantName: tenant,
        reason: "journey done",
      });
      await step(decommissionId);
      for (const p of c.objects(tenant))
        await eventually(`${p} pruned`, async () => ((await get(p)).status === 404 ? true : undefined), 120_000);
      await waitForStatus(id, { phase: "Deleted" }, 60_000);
    }, 480_000);
  }
});
