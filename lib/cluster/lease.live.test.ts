// Leader election on a real coordination.k8s.io/v1 Lease, and the Argo CD refresh nudge.
import { afterEach, describe, expect, it } from "vitest";
import { eventually, kube, watch } from "@/tests/testenv/env";
import { runLeaderElection, LEASE_NAME } from "./lease";
import { appsPath, getApplication } from "@/tests/testenv/gitops";
import { commitTenant, createTenantApplication, deleteApplication, manifests } from "./live-cluster-support";
import { ensureNamespace, env, hex, quietLog, testKubeConfig } from "./live-test-support";
import { requestArgoRefresh } from "./refresh";

type Elector = ReturnType<typeof runLeaderElection> & { id: string; events: string[] };
const running: Elector[] = [];

function elector(namespace: string, id: string, releaseOnStop = true): Elector {
  const events: string[] = [];
  const e = runLeaderElection({
    kubeConfig: testKubeConfig(),
    namespace,
    identity: id,
    log: quietLog,
    releaseOnStop,
    onStartedLeading: () => events.push("started"),
    onStoppedLeading: () => events.push("stopped"),
  });
  const el = Object.assign(e, { id, events });
  running.push(el);
  return el;
}

async function holder(ns: string): Promise<string | undefined> {
  const r = await kube(env, `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${LEASE_NAME}`);
  return r.json?.spec?.holderIdentity;
}

describe("leader election", () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });

  it("elects exactly one of two candidates, and the other takes over within ~20 s when the leader dies", async () => {
    const ns = `lease-${hex()}`;
    await ensureNamespace(ns);
    const [a, b] = [elector(ns, "replica-a", false), elector(ns, "replica-b", false)];
    const first = await eventually("a leader", async () => [a, b].find((e) => e.isLeader()));
    const other = first === a ? b : a;
    // Several renewals later, still exactly one leader, and the Lease names it.
    await new Promise((r) => setTimeout(r, 6_000));
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(first.isLeader()).toBe(true);
    expect(await holder(ns)).toBe(first.id);
    const lease = (await kube(env, `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${LEASE_NAME}`)).json;
    expect(lease.spec).toMatchObject({ leaseDurationSeconds: 15 });

    // A crash: the leader stops renewing without giving the Lease up.
    const t = Date.now();
    await first.stop();
    expect(first.events).toEqual(["started", "stopped"]);
    await eventually("takeover", async () => other.isLeader(), 25_000);
    const took = Date.now() - t;
    expect(took).toBeGreaterThan(10_000); // not before the Lease expired
    expect(took).toBeLessThan(22_000);
    expect(await holder(ns)).toBe(other.id);
    expect(other.events).toEqual(["started"]);
  }, 60_000);

  it("hands over at once when the leader gives the Lease up on stop", async () => {
    const ns = `lease-${hex()}`;
    await ensureNamespace(ns);
    const a = elector(ns, "replica-a");
    await eventually("a leads", async () => a.isLeader());
    const b = elector(ns, "replica-b");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(b.isLeader()).toBe(false);
    const t = Date.now();
    await a.stop();
    await eventually("b leads", async () => b.isLeader(), 10_000);
    expect(Date.now() - t).toBeLessThan(7_000);
    const lease = (await kube(env, `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${LEASE_NAME}`)).json;
    expect(lease.spec).toMatchObject({ holderIdentity: "replica-b", leaseTransitions: 1 });
  });
});

describe("requestArgoRefresh", () => {
  it("annotates the Application for a normal refresh, which Argo CD acts on and clears, and answers false for a missing one", async () => {
    const tenant = `r-${hex()}`;
    await commitTenant(tenant, { "namespace.yaml": manifests.namespace(tenant) });
    const name = await createTenantApplication(tenant);
    const ns = env.argocd.namespace;
    const key = env.argocd.refreshAnnotations.application;
    try {
      const first = await eventually(
        "first reconcile",
        async () => {
          const a = await getApplication(env, name);
          return a?.status?.reconciledAt ? a : undefined;
        },
        45_000,
      );
      const w = await watch(
        env,
        `${appsPath(env)}?fieldSelector=metadata.name%3D${name}`,
        first.metadata.resourceVersion,
      );
      try {
        expect(await requestArgoRefresh({ kubeConfig: testKubeConfig(), namespace: ns, applicationName: name })).toBe(
          true,
        );
        const asked = await w.next((e) => e.object.metadata.annotations?.[key] === "normal");
        expect(asked.object.metadata.labels["berth.io/tenant"]).toBe(tenant);
        // The real application-controller reconciles and removes the annotation again.
        await w.next(
          (e) => w.events.indexOf(e) > w.events.indexOf(asked) && !e.object.metadata.annotations?.[key],
          30_000,
        );
      } finally {
        w.close();
      }
      expect(await requestArgoRefresh({ kubeConfig: testKubeConfig(), namespace: ns, applicationName: "nope" })).toBe(
        false,
      );
    } finally {
      await deleteApplication(name);
    }
  });
});
