// The status reader losing and regaining the management cluster: the real kube-apiserver is
// stopped and started again (same port and certificates), and a TCP proxy cuts only the
// reader's connection so the test can change the cluster while the reader cannot see it.
import fs from "node:fs";
import net from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { eventually, kube, startApiserver, stopApiserver } from "@/tests/testenv/env";
import { getApplication, refreshApplication, waitForSyncedHealthy } from "@/tests/testenv/gitops";
import {
  addNode,
  commitTenant,
  createTenantApplication,
  deleteApplication,
  manifests,
  tenantNamespace,
} from "./live-cluster-support";
import { env, hex, quietLog, seedTenant, setMergeCommit, testKubeConfig, waitForStatus } from "./live-test-support";
import { startStatusReader, type StatusReader } from "./reader";

let reader: StatusReader | null = null;
const cleanup: (() => Promise<unknown>)[] = [];
const start = (kubeConfig: KubeConfig) =>
  (reader = startStatusReader({
    kubeConfig,
    db: getDb(),
    argocdNamespace: env.argocd.namespace,
    labelDomain: "berth.io",
    log: quietLog,
    holder: "outage-test",
    debounceMs: 20,
    heartbeatMs: 500,
    backoff: { minMs: 200, maxMs: 2_000, absentMs: 60_000 },
  }));
const ARGO_MS = 60_000;

/** A merged shared tenant whose folder Argo CD has synced: Provisioning, waiting for its vCluster. */
async function provisioningTenant() {
  const name = `t-${hex()}`;
  const merge = await commitTenant(name, { "namespace.yaml": manifests.namespace(name) });
  const seeded = await seedTenant({ name, mergeCommitSha: merge });
  const app = await createTenantApplication(name);
  cleanup.push(() => deleteApplication(app));
  // Synced before anything else is committed: Argo CD syncs the branch's head, and Berth counts a
  // tenant synced to its change only at its own merge commit (a later commit does not count).
  await waitForSyncedHealthy(env, app, merge, ARGO_MS);
  return { name, app, ...seeded };
}

/** The tenant's next merged change adds its vCluster (on a pool that has a Node): Ready once synced. */
async function mergeVcluster(t: { name: string; app: string; requestId: string }) {
  cleanup.push(await addNode(t.name));
  const merge = await commitTenant(t.name, { "vcluster.json": manifests.vcluster(t.name, t.name) });
  await setMergeCommit(t.requestId, merge);
  await refreshApplication(env, t.app);
  return merge;
}

async function readerRow() {
  return (
    await getDb().execute<{ connected: boolean; error: string | null }>(
      sql`SELECT connected, error FROM status_reader WHERE id = 1`,
    )
  ).rows[0];
}

/** A loopback TCP proxy to the apiserver that can be cut and restored on the same port. */
async function tcpProxy(target: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        if (process.env.BERTH_TEST_LOG) console.log(`cutting ${sockets.size} sockets`);
        for (const s of sockets) s.destroy();
      }),
    restore: () => new Promise<void>((r) => server.listen(port, "127.0.0.1", r)),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => r());
        else r();
      }),
  };
}

describe("status reader outages", () => {
  afterEach(async () => {
    const t = Date.now();
    await reader?.stop();
    if (process.env.BERTH_TEST_LOG) console.log(`reader stopped in ${Date.now() - t} ms`);
    reader = null;
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it("shows disconnected while the kube-apiserver is down and recovers its watches after a restart", async () => {
    const t = await provisioningTenant();
    start(testKubeConfig());
    await waitForStatus(t.tenantId, { phase: "Provisioning", synced_to_change: true }, ARGO_MS);
    await eventually("connected", async () => reader!.health().connected && (await readerRow())?.connected);

    const t0 = Date.now();
    await stopApiserver(env);
    if (process.env.BERTH_TEST_LOG) console.log(`apiserver stopped in ${Date.now() - t0} ms`);
    try {
      await eventually("reader sees the outage", async () => !reader!.health().connected, 20_000);
      const down = await eventually(
        "status_reader.connected false",
        async () => {
          const row = await readerRow();
          return row && !row.connected ? row : undefined;
        },
        10_000,
      );
      expect(down.error).toBeTruthy();
    } finally {
      await startApiserver(env);
    }

    // After the restart Argo CD and the reader both pick up again: the next change shows. Argo CD
    // (not restarted, unlike the controller-manager) resumes its watches with client-go's backoff:
    // 5-45 s here before it acts on a refresh.
    await mergeVcluster(t);
    await waitForStatus(t.tenantId, { phase: "Ready", synced_to_change: true }, 2 * ARGO_MS);
    await eventually("reconnected", async () => reader!.health().connected && (await readerRow())?.connected, 30_000);
  }, 180_000);

  it("catches up on changes and deletions made while it could not see the cluster (resume, or relist after 410)", async () => {
    const proxy = await tcpProxy(Number(new URL(env.kubernetes.server).port));
    try {
      const kc = JSON.parse(fs.readFileSync(env.kubernetes.kubeconfig, "utf8"));
      kc.clusters[0].cluster.server = `https://127.0.0.1:${proxy.port}`;
      const viaProxy = new KubeConfig();
      viaProxy.loadFromString(JSON.stringify(kc));

      const a = await provisioningTenant();
      // b is being decommissioned: its vCluster runs until Argo CD prunes it.
      const b = `t-${hex()}`;
      cleanup.push(await addNode(b));
      const bMerge = await commitTenant(b, {
        "namespace.yaml": manifests.namespace(b),
        "vcluster.json": manifests.vcluster(b, b),
      });
      const bApp = await createTenantApplication(b, { finalizer: true });
      await waitForSyncedHealthy(env, bApp, bMerge, ARGO_MS);
      const tb = await seedTenant({
        name: b,
        action: "decommission",
        state: "deleting",
        lifecycle: "decommissioning",
        mergeCommitSha: bMerge,
      });
      start(viaProxy);
      await waitForStatus(a.tenantId, { phase: "Provisioning", synced_to_change: true }, ARGO_MS);
      await waitForStatus(tb.tenantId, { phase: "Deleting" });

      const before = reader!.health().objects; // includes other tests' leftovers in tenant-* namespaces
      await proxy.cut();
      const tCut = Date.now();
      await eventually("reader sees the cut", async () => !reader!.health().connected, 40_000);
      if (process.env.BERTH_TEST_LOG) console.log(`cut seen after ${Date.now() - tCut} ms`);
      // While the reader is cut off, Argo CD syncs a's next change and prunes b.
      const aMerge = await mergeVcluster(a);
      await deleteApplication(bApp);
      await waitForSyncedHealthy(env, a.app, aMerge, ARGO_MS);
      if (process.env.BERTH_TEST_LOG) console.log(`a synced ${Date.now() - tCut} ms after the cut`);
      const sts = `/apis/apps/v1/namespaces/${tenantNamespace(b)}/statefulsets/vcluster`;
      await eventually(
        "b pruned",
        async () => !(await getApplication(env, bApp)) && (await kube(env, sts)).status === 404,
        ARGO_MS,
      );
      // A fresh apiserver's watch cache starts now, so resuming from the old resourceVersion
      // answers 410 Gone and the informer must relist to notice the deletion.
      await stopApiserver(env);
      await startApiserver(env);
      await proxy.restore();

      const tBack = Date.now();
      await waitForStatus(tb.tenantId, { phase: "Deleted" }, 30_000);
      if (process.env.BERTH_TEST_LOG)
        console.log(`deletion seen ${Date.now() - tBack} ms after the reader's connection was restored`);
      await waitForStatus(a.tenantId, { phase: "Ready" }, 30_000);
      // b's Application and StatefulSet are gone, a's StatefulSet is new.
      expect(reader!.health().objects).toBe(before - 1);
    } finally {
      await proxy.close();
    }
  }, 240_000);
});
