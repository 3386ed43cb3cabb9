// The status reader against the real test environment: PostgreSQL, the kube-apiserver, and Argo CD
// syncing tenant folders from Gitea, with the controllers and kwok running the workloads. Each
// test commits a tenant's files, lets Argo CD apply them, and follows what the reader persists.
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { getDb } from "@/lib/db";
import { eventually, kube } from "@/tests/testenv/env";
import { getApplication, refreshApplication, waitForSyncedHealthy } from "@/tests/testenv/gitops";
import {
  addNode,
  commitTenant,
  createTenantApplication,
  deleteApplication,
  manifests,
  patchStatus,
  tenantNamespace,
} from "./live-cluster-support";
import {
  env,
  hex,
  historyOf,
  quietLog,
  seedTenant,
  setMergeCommit,
  testKubeConfig,
  waitForStatus,
} from "./live-test-support";
import { startStatusReader, type StatusReader } from "./reader";
import { STATUS_CHANNEL } from "@/lib/db/channels";

let reader: StatusReader | null = null;
let listener: pg.Client;
const notified: string[] = [];
const cleanup: (() => Promise<unknown>)[] = [];

const start = () =>
  (reader = startStatusReader({
    kubeConfig: testKubeConfig(),
    db: getDb(),
    argocdNamespace: env.argocd.namespace,
    labelDomain: "berth.io",
    log: quietLog,
    holder: "test-reader",
    debounceMs: 20,
    heartbeatMs: 500,
    backoff: { minMs: 200, maxMs: 2_000, absentMs: 60_000 },
  }));

// Argo CD acts within seconds once asked (refresh annotation); a test waits on that, never on its poll.
const ARGO_MS = 45_000;

describe("status reader", () => {
  beforeAll(async () => {
    listener = new pg.Client({ connectionString: inject("databaseUrl") });
    await listener.connect();
    listener.on("notification", (n) => n.channel === STATUS_CHANNEL && notified.push(n.payload ?? ""));
    await listener.query(`LISTEN ${STATUS_CHANNEL}`);
  });
  afterEach(async () => {
    await reader?.stop();
    reader = null;
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await listener.end();
  });

  it("moves a shared tenant Syncing → Provisioning → Ready, synced to the change only at the merge commit, with history and notifications", async () => {
    const name = `t-${hex()}`;
    const before = await commitTenant(name, { "namespace.yaml": manifests.namespace(name) });
    const { tenantId, requestId } = await seedTenant({ name });
    start();
    const app = await createTenantApplication(name);
    cleanup.push(() => deleteApplication(app));
    // Argo CD has synced the folder, but not at the merge commit (there is none yet): still Syncing,
    // with Argo CD's own message about the sync it did.
    const synced = await waitForSyncedHealthy(env, app, before, ARGO_MS);
    const message = synced.status?.operationState?.message ?? "Argo CD has not applied the merged change yet.";
    const first = await waitForStatus(tenantId, { phase: "Syncing", sync_status: "Synced", revision: before, message });
    expect(first.synced_to_change).toBe(false);

    // The change merges: the vCluster's StatefulSet, on a pool without a Node yet.
    const merge = await commitTenant(name, { "vcluster.json": manifests.vcluster(name, name) });
    await setMergeCommit(requestId, merge);
    await refreshApplication(env, app);
    const provisioning = await waitForStatus(
      tenantId,
      { phase: "Provisioning", message: "vCluster 0/1 ready.", synced_to_change: true, revision: merge },
      ARGO_MS,
    );
    expect(provisioning.sources.application).toMatchObject({ name: app, revision: merge });

    // The pool gets its Node: the scheduler places the Pod, kwok runs it, Argo CD sees it Healthy.
    cleanup.push(await addNode(name));
    const ready = await waitForStatus(tenantId, { phase: "Ready", message: null, synced_to_change: true }, ARGO_MS);
    expect(ready.sources.workload).toEqual({ kind: "StatefulSet", name: "vcluster", ready: 1, desired: 1 });

    // History only on phase changes (not for the message changes within Syncing/Provisioning), in time order.
    const history = await historyOf(tenantId);
    expect(history.map((h) => h.phase)).toEqual(["Syncing", "Provisioning", "Ready"]);
    expect(history[0]!.at.getTime()).toBeLessThanOrEqual(history[1]!.at.getTime());
    expect(history[1]!.at.getTime()).toBeLessThanOrEqual(history[2]!.at.getTime());
    expect(history[2]!.at.getTime()).toBe(ready.observed_at.getTime());
    await eventually("notifications", async () => notified.filter((n) => n === name).length >= 3);
    expect(reader!.health().connected).toBe(true);
    expect(reader!.health().objects).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it("prefers the child Application's health, keeps the parent's revision, and shows a Degraded message and a failed sync", async () => {
    const name = `t-${hex()}`;
    const merge = await commitTenant(name, {
      "parent/namespace.yaml": manifests.namespace(name),
      "vcluster/syncer.json": manifests.stuckDeployment(name),
    });
    const { tenantId, requestId } = await seedTenant({ name, mergeCommitSha: merge });
    // The parent first: it creates the namespace the child's objects go to.
    const parent = await createTenantApplication(name, { subfolder: "parent" });
    cleanup.push(() => deleteApplication(parent));
    await waitForSyncedHealthy(env, parent, merge, ARGO_MS);
    const retry = { limit: 1, backoff: { duration: "1s" } }; // fail after one retry, not Argo CD's default five
    const child = await createTenantApplication(name, { name: `${name}-vcluster`, subfolder: "vcluster", retry });
    cleanup.push(() => deleteApplication(child));
    start();
    // The Deployment cannot be scheduled and exceeds its progress deadline: Argo CD says Degraded.
    const degraded = await waitForStatus(tenantId, { phase: "Degraded" }, ARGO_MS);
    const childApp = await getApplication(env, child);
    expect(childApp?.status?.health?.status).toBe("Degraded");
    expect(degraded).toMatchObject({
      message: childApp?.status?.health?.message,
      synced_to_change: true,
      revision: merge,
    });
    // Argo CD 3.6 names the resource that degrades the Application (its own message stays in the resource tree).
    expect(degraded.message).toBe(`Caused by apps/Deployment:${tenantNamespace(name)}/syncer`);
    expect(degraded.sources.application?.name).toBe(child);

    // A change Argo CD cannot apply (the apiserver refuses the object): its sync fails, with its message.
    const broken = await commitTenant(name, {
      "vcluster/settings.json": JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "settings", namespace: tenantNamespace(name) },
        data: { replicas: 3 },
      }),
    });
    await setMergeCommit(requestId, broken);
    await refreshApplication(env, child);
    const failed = await waitForStatus(tenantId, { phase: "Failed" }, ARGO_MS);
    const op = (await getApplication(env, child))?.status?.operationState;
    expect(op?.phase).toBe("Failed");
    expect(failed.message).toBe(op?.message);
    expect(failed.message).toContain("cannot unmarshal number into Go struct field ConfigMap.data");
  }, 180_000);

  it("follows a dedicated tenant's CAPI Cluster from Provisioning (with the condition's message) to Ready", async () => {
    const name = `d-${hex()}`;
    const merge = await commitTenant(name, {
      "namespace.yaml": manifests.namespace(name),
      "cluster.json": manifests.capiCluster(name),
    });
    const { tenantId } = await seedTenant({ name, kind: "dedicated-onprem", mergeCommitSha: merge });
    start();
    const app = await createTenantApplication(name);
    cleanup.push(() => deleteApplication(app));
    await waitForStatus(tenantId, { phase: "Provisioning", synced_to_change: true }, ARGO_MS);
    // No Cluster API controller runs here: the test writes the Cluster's status as CAPI's would
    // while the control plane comes up (Ready False with severity Info), then once provisioned.
    const cluster = `/apis/cluster.x-k8s.io/v1beta1/namespaces/${tenantNamespace(name)}/clusters/${name}`;
    await patchStatus(cluster, {
      phase: "Provisioning",
      conditions: [
        {
          type: "Ready",
          status: "False",
          severity: "Info",
          reason: "WaitingForControlPlane",
          message: "0 of 1 control plane machines are ready",
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    });
    await waitForStatus(tenantId, { phase: "Provisioning", message: "0 of 1 control plane machines are ready" });
    await patchStatus(cluster, {
      phase: "Provisioned",
      controlPlaneReady: true,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: new Date().toISOString() }],
    });
    // Argo CD's own health check of the Cluster turns Healthy too, and the tenant is Ready.
    const ready = await waitForStatus(tenantId, { phase: "Ready" }, ARGO_MS);
    expect(ready.sources.cluster).toMatchObject({ kind: "Cluster", name, phase: "Provisioned", ready: true });
    expect((await getApplication(env, app))?.status?.health?.status).toBe("Healthy");
  }, 120_000);

  it("completes a decommission once Argo CD has pruned every object", async () => {
    const name = `t-${hex()}`;
    const pool = `${name}-pool`;
    cleanup.push(await addNode(pool));
    const merge = await commitTenant(name, {
      "namespace.yaml": manifests.namespace(name),
      "vcluster.json": manifests.vcluster(name, pool),
    });
    const app = await createTenantApplication(name, { finalizer: true });
    const sts = `/apis/apps/v1/namespaces/${tenantNamespace(name)}/statefulsets/vcluster`;
    await eventually("vCluster running", async () => (await kube(env, sts)).json?.status?.readyReplicas === 1, ARGO_MS);
    const { tenantId, requestId } = await seedTenant({
      name,
      action: "decommission",
      state: "deleting",
      lifecycle: "decommissioning",
      mergeCommitSha: merge,
    });
    start();
    await waitForStatus(tenantId, { phase: "Deleting", message: "Argo CD is removing the tenant's objects." });
    // Deleting the Application (its finalizer) makes Argo CD delete what it applied, namespace and all.
    await deleteApplication(app);
    await waitForStatus(tenantId, { phase: "Deleted" }, 60_000);
    // Deleted only once everything is really gone.
    expect((await kube(env, sts)).status).toBe(404);
    expect(await getApplication(env, app)).toBeUndefined();
    const rows = await getDb().execute<{ state: string; lifecycle: string; actor: string }>(sql`
      SELECT r.state, t.lifecycle, (SELECT actor_label FROM request_transitions WHERE request_id = r.id ORDER BY id DESC LIMIT 1) AS actor
      FROM requests r JOIN tenants t ON t.id = r.tenant_id WHERE r.id = ${requestId}`);
    expect(rows.rows[0]).toEqual({ state: "deleted", lifecycle: "deleted", actor: "berth (status reader)" });
    expect((await historyOf(tenantId)).map((h) => h.phase)).toEqual(["Deleting", "Deleted"]);
  }, 180_000);

  it("writes its health every heartbeat and ignores objects of tenants Berth does not know", async () => {
    const name = `t-${hex()}`;
    await commitTenant(name, { "namespace.yaml": manifests.namespace(name) });
    const app = await createTenantApplication(name);
    cleanup.push(() => deleteApplication(app));
    start();
    const row = await eventually("status_reader row", async () => {
      const r = (
        await getDb().execute<{ holder: string; connected: boolean; last_event_at: Date | null; updated_at: Date }>(
          sql`SELECT holder, connected, last_event_at, updated_at FROM status_reader WHERE id = 1`,
        )
      ).rows[0];
      return r?.connected ? r : undefined;
    });
    expect(row.holder).toBe("test-reader");
    expect(row.last_event_at).not.toBeNull();
    await eventually(
      "a later heartbeat",
      async () => {
        const r = (await getDb().execute<{ updated_at: Date }>(sql`SELECT updated_at FROM status_reader WHERE id = 1`))
          .rows[0];
        return new Date(r!.updated_at).getTime() > new Date(row.updated_at).getTime();
      },
      5_000,
    );
    expect((await getDb().execute(sql`SELECT 1 FROM tenant_status`)).rows).toHaveLength(0);
    await reader!.stop();
    reader = null;
    const stopped = (
      await getDb().execute<{ connected: boolean }>(sql`SELECT connected FROM status_reader WHERE id = 1`)
    ).rows[0];
    expect(stopped!.connected).toBe(false);
  });
});
