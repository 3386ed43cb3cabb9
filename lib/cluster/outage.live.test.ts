// The status reader losing and regaining the management cluster: the real kube-apiserver is
// stopped and started again (same port and certificates), and a TCP proxy cuts only the
// reader's connection so the test can change the cluster while the reader cannot see it.
import fs from "node:fs";
import net from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { eventually, startApiserver, stopApiserver } from "@/tests/testenv/env";
import {
  createApplication,
  createVclusterStatefulSet,
  deleteApplication,
  deleteStatefulSet,
  ensureNamespace,
  env,
  hex,
  patchApplicationStatus,
  quietLog,
  seedTenant,
  sha,
  testKubeConfig,
  waitForStatus,
} from "./live-test-support";
import { startStatusReader, type StatusReader } from "./reader";

const argocd = `argocd-${hex()}`;
let reader: StatusReader | null = null;
const start = (kubeConfig: KubeConfig) =>
  (reader = startStatusReader({
    kubeConfig,
    db: getDb(),
    argocdNamespace: argocd,
    labelDomain: "berth.io",
    log: quietLog,
    holder: "outage-test",
    debounceMs: 20,
    heartbeatMs: 500,
    backoff: { minMs: 200, maxMs: 2_000, absentMs: 60_000 },
  }));

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
  beforeAll(async () => {
    await ensureNamespace(argocd);
  });
  afterEach(async () => {
    const t = Date.now();
    await reader?.stop();
    if (process.env.BERTH_TEST_LOG) console.log(`reader stopped in ${Date.now() - t} ms`);
    reader = null;
  });

  it("shows disconnected while the kube-apiserver is down and recovers its watches after a restart", async () => {
    const name = `t-${hex()}`;
    const merge = sha();
    const { tenantId } = await seedTenant({ name, mergeCommitSha: merge });
    await createApplication(argocd, `tenant-${name}`, name);
    await patchApplicationStatus(argocd, `tenant-${name}`, {
      sync: { status: "Synced", revision: merge },
      health: { status: "Healthy" },
    });
    start(testKubeConfig());
    await waitForStatus(tenantId, { phase: "Provisioning" });
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

    await patchApplicationStatus(argocd, `tenant-${name}`, {
      health: { status: "Degraded", message: "after the restart" },
    });
    await waitForStatus(tenantId, { phase: "Degraded", message: "after the restart" }, 30_000);
    await eventually("reconnected", async () => reader!.health().connected && (await readerRow())?.connected, 30_000);
  });

  it("catches up on changes and deletions made while it could not see the cluster (resume, or relist after 410)", async () => {
    const proxy = await tcpProxy(Number(new URL(env.kubernetes.server).port));
    try {
      const kc = JSON.parse(fs.readFileSync(env.kubernetes.kubeconfig, "utf8"));
      kc.clusters[0].cluster.server = `https://127.0.0.1:${proxy.port}`;
      const viaProxy = new KubeConfig();
      viaProxy.loadFromString(JSON.stringify(kc));

      const [a, b] = [`t-${hex()}`, `t-${hex()}`];
      const merge = sha();
      const ta = await seedTenant({ name: a, mergeCommitSha: merge });
      const tb = await seedTenant({
        name: b,
        action: "decommission",
        state: "deleting",
        lifecycle: "decommissioning",
        mergeCommitSha: merge,
      });
      await createApplication(argocd, `tenant-${a}`, a);
      await patchApplicationStatus(argocd, `tenant-${a}`, {
        sync: { status: "Synced", revision: merge },
        health: { status: "Healthy" },
      });
      await createVclusterStatefulSet(b, 1);
      start(viaProxy);
      await waitForStatus(ta.tenantId, { phase: "Provisioning" });
      await waitForStatus(tb.tenantId, { phase: "Deleting" });

      const before = reader!.health().objects; // includes other tests' leftovers in tenant-* namespaces
      await proxy.cut();
      const tCut = Date.now();
      await eventually("reader sees the cut", async () => !reader!.health().connected, 40_000);
      if (process.env.BERTH_TEST_LOG) console.log(`cut seen after ${Date.now() - tCut} ms`);
      await patchApplicationStatus(argocd, `tenant-${a}`, {
        health: { status: "Degraded", message: "changed while cut off" },
      });
      await deleteStatefulSet(b);
      await deleteApplication(argocd, `tenant-${a}`).then(() => createApplication(argocd, `tenant-${a}`, a));
      // A fresh apiserver's watch cache starts now, so resuming from the old resourceVersion
      // answers 410 Gone and the informer must relist to notice the deletion.
      await stopApiserver(env);
      await startApiserver(env);
      await proxy.restore();

      const tBack = Date.now();
      await waitForStatus(tb.tenantId, { phase: "Deleted" }, 30_000);
      if (process.env.BERTH_TEST_LOG)
        console.log(`deletion seen ${Date.now() - tBack} ms after the reader's connection was restored`);
      // The Application was recreated without status: Argo CD has not synced it yet.
      await waitForStatus(ta.tenantId, { phase: "Syncing" }, 30_000);
      expect(reader!.health().objects).toBe(before - 1);
    } finally {
      await proxy.close();
    }
  });
});
