// Leader election on a real coordination.k8s.io/v1 Lease, and the Argo CD refresh nudge.
import { afterEach, describe, expect, it } from "vitest";
import { eventually, kube } from "@/tests/testenv/env";
import { runLeaderElection, LEASE_NAME } from "./lease";
import { createApplication, ensureNamespace, env, hex, quietLog, testKubeConfig } from "./live-test-support";
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
  it("annotates the Application for a normal refresh, and answers false for a missing one", async () => {
    const ns = `argocd-${hex()}`;
    await ensureNamespace(ns);
    await createApplication(ns, "tenant-demo", "demo");
    expect(
      await requestArgoRefresh({ kubeConfig: testKubeConfig(), namespace: ns, applicationName: "tenant-demo" }),
    ).toBe(true);
    const app = await kube(env, `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/tenant-demo`);
    expect(app.json.metadata.annotations).toEqual({ "argocd.argoproj.io/refresh": "normal" });
    expect(app.json.metadata.labels["berth.io/tenant"]).toBe("demo");
    expect(await requestArgoRefresh({ kubeConfig: testKubeConfig(), namespace: ns, applicationName: "nope" })).toBe(
      false,
    );
  });
});
