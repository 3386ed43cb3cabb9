// The status reader against the real kube-apiserver and PostgreSQL.
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { getDb } from "@/lib/db";
import { eventually } from "@/tests/testenv/env";
import {
  createApplication,
  createCapiCluster,
  createVclusterStatefulSet,
  deleteApplication,
  deleteStatefulSet,
  ensureNamespace,
  hex,
  historyOf,
  patchApplicationStatus,
  patchStatus,
  quietLog,
  seedTenant,
  setStatefulSetReady,
  sha,
  testKubeConfig,
  waitForStatus,
} from "./live-test-support";
import { startStatusReader, type StatusReader } from "./reader";
import { STATUS_CHANNEL } from "@/lib/db/channels";

const argocd = `argocd-${hex()}`;
let reader: StatusReader | null = null;
let listener: pg.Client;
const notified: string[] = [];

const start = () =>
  (reader = startStatusReader({
    kubeConfig: testKubeConfig(),
    db: getDb(),
    argocdNamespace: argocd,
    labelDomain: "berth.io",
    log: quietLog,
    holder: "test-reader",
    debounceMs: 20,
    heartbeatMs: 500,
    backoff: { minMs: 200, maxMs: 2_000, absentMs: 60_000 },
  }));

describe("status reader", () => {
  beforeAll(async () => {
    await ensureNamespace(argocd);
    listener = new pg.Client({ connectionString: inject("databaseUrl") });
    await listener.connect();
    listener.on("notification", (n) => n.channel === STATUS_CHANNEL && notified.push(n.payload ?? ""));
    await listener.query(`LISTEN ${STATUS_CHANNEL}`);
  });
  afterEach(async () => {
    await reader?.stop();
    reader = null;
  });
  afterAll(async () => {
    await listener.end();
  });

  it(
    "moves a shared tenant Syncing → Provisioning → Ready, synced to the change only at the merge " +
      "commit, with history and notifications",
    async () => {
      const name = `t-${hex()}`;
      const merge = sha();
      const { tenantId } = await seedTenant({ name, mergeCommitSha: merge });
      start();
      await createApplication(argocd, `tenant-${name}`, name);
      const first = await waitForStatus(tenantId, {
        phase: "Syncing",
        message: "Argo CD has not applied the merged change yet.",
      });
      expect(first.synced_to_change).toBe(false);

      await patchApplicationStatus(argocd, `tenant-${name}`, {
        sync: { status: "Synced", revision: sha() },
        health: { status: "Healthy" },
      });
      await waitForStatus(tenantId, { phase: "Syncing", synced_to_change: false, sync_status: "Synced" });

      await patchApplicationStatus(argocd, `tenant-${name}`, {
        sync: { status: "Synced", revision: merge },
        health: { status: "Progressing" },
      });
      const provisioning = await waitForStatus(tenantId, {
        phase: "Provisioning",
        message: "Waiting for the vCluster to be created.",
        synced_to_change: true,
        revision: merge,
      });
      expect(provisioning.sources.application).toMatchObject({ name: `tenant-${name}`, revision: merge });

      await createVclusterStatefulSet(name, 0);
      await waitForStatus(tenantId, { phase: "Provisioning", message: "vCluster 0/1 ready." });
      await patchApplicationStatus(argocd, `tenant-${name}`, { health: { status: "Healthy" } });
      await setStatefulSetReady(name, 1);
      const ready = await waitForStatus(tenantId, { phase: "Ready", message: null, synced_to_change: true });
      expect(ready.sources.workload).toEqual({ kind: "StatefulSet", name: "vcluster", ready: 1, desired: 1 });

      // History only on phase changes (not for the message changes within Syncing/Provisioning), in time order.
      const history = await historyOf(tenantId);
      expect(history.map((h) => h.phase)).toEqual(["Syncing", "Provisioning", "Ready"]);
      expect(history[0]!.at.getTime()).toBeLessThanOrEqual(history[1]!.at.getTime());
      expect(history[1]!.at.getTime()).toBeLessThanOrEqual(history[2]!.at.getTime());
      expect(history[2]!.at.getTime()).toBe(ready.observed_at.getTime());
      await eventually("notifications", async () => notified.filter((n) => n === name).length >= 4);
      // The apiserver is shared with other suites: count at least this tenant's two objects.
      expect(reader!.health().connected).toBe(true);
      expect(reader!.health().objects).toBeGreaterThanOrEqual(2);
    },
  );

  it("prefers the child Application's health, keeps the parent's revision, and shows a Degraded message", async () => {
    const name = `t-${hex()}`;
    const merge = sha();
    const { tenantId } = await seedTenant({ name, mergeCommitSha: merge });
    await createApplication(argocd, `tenant-${name}`, name);
    await createApplication(argocd, `${name}-vcluster`, name);
    await patchApplicationStatus(argocd, `tenant-${name}`, {
      sync: { status: "Synced", revision: merge },
      health: { status: "Healthy" },
    });
    await patchApplicationStatus(argocd, `${name}-vcluster`, {
      sync: { status: "Synced", revision: "0.26.0" },
      health: { status: "Degraded", message: "Back-off restarting failed container syncer" },
    });
    start();
    const degraded = await waitForStatus(tenantId, { phase: "Degraded" });
    expect(degraded).toMatchObject({
      message: "Back-off restarting failed container syncer",
      synced_to_change: true,
      revision: merge,
    });
    expect(degraded.sources.application?.name).toBe(`${name}-vcluster`);

    await patchApplicationStatus(argocd, `${name}-vcluster`, {
      operationState: { phase: "Failed", message: "one or more objects failed to apply: quota exceeded" },
    });
    await waitForStatus(tenantId, { phase: "Failed", message: "one or more objects failed to apply: quota exceeded" });
  });

  it("follows a dedicated tenant's CAPI Cluster from Provisioning (with the condition's message) to Ready", async () => {
    const name = `d-${hex()}`;
    const merge = sha();
    const { tenantId } = await seedTenant({ name, kind: "dedicated-onprem", mergeCommitSha: merge });
    start();
    await createApplication(argocd, `tenant-${name}`, name);
    await patchApplicationStatus(argocd, `tenant-${name}`, {
      sync: { status: "Synced", revision: merge },
      health: { status: "Healthy" },
    });
    await waitForStatus(tenantId, { phase: "Provisioning", message: "Waiting for the cluster object to appear." });
    const cluster = await createCapiCluster(`tenant-${name}`, name);
    await patchStatus(cluster, {
      phase: "Provisioning",
      conditions: [
        {
          type: "Ready",
          status: "False",
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
    const ready = await waitForStatus(tenantId, { phase: "Ready" });
    expect(ready.sources.cluster).toMatchObject({ kind: "Cluster", name, phase: "Provisioned", ready: true });
  });

  it("completes a decommission once Argo CD has pruned every object", async () => {
    const name = `t-${hex()}`;
    const { tenantId, requestId } = await seedTenant({
      name,
      action: "decommission",
      state: "deleting",
      lifecycle: "decommissioning",
      mergeCommitSha: sha(),
    });
    await createApplication(argocd, `tenant-${name}`, name);
    await createVclusterStatefulSet(name, 1);
    start();
    await waitForStatus(tenantId, { phase: "Deleting", message: "Argo CD is removing the tenant's objects." });
    await deleteApplication(argocd, `tenant-${name}`);
    await new Promise((r) => setTimeout(r, 300));
    // The StatefulSet is still there: not done yet.
    const [still] = (await getDb().execute<{ state: string }>(sql`SELECT state FROM requests WHERE id = ${requestId}`))
      .rows;
    expect(still!.state).toBe("deleting");
    await deleteStatefulSet(name);
    await waitForStatus(tenantId, { phase: "Deleted" });
    const rows = await getDb().execute<{ state: string; lifecycle: string; actor: string }>(sql`
      SELECT r.state, t.lifecycle, (SELECT actor_label FROM request_transitions WHERE request_id = r.id ORDER BY id DESC LIMIT 1) AS actor
      FROM requests r JOIN tenants t ON t.id = r.tenant_id WHERE r.id = ${requestId}`);
    expect(rows.rows[0]).toEqual({ state: "deleted", lifecycle: "deleted", actor: "berth (status reader)" });
    expect((await historyOf(tenantId)).map((h) => h.phase)).toEqual(["Deleting", "Deleted"]);
  });

  it("writes its health every heartbeat and ignores objects of tenants Berth does not know", async () => {
    const name = `t-${hex()}`;
    await createApplication(argocd, `tenant-${name}`, name);
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
