// Smoke tests of the cluster's workload half: kube-scheduler, kube-controller-manager and kwok
// Nodes made from the test placements. A Deployment and a StatefulSet aimed at a tainted pool
// become Ready only with the pool's tolerations; without them the scheduler leaves them Pending.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeNode } from "../../scripts/testenv/types";
import { eventually, kube, loadTestEnv, type TestEnv } from "./env";

const env: TestEnv = loadTestEnv();
const ns = `sched-${crypto.randomBytes(3).toString("hex")}`;
const tainted = env.kwok.nodes.find((n) => n.taints.some((t) => t.effect === "NoSchedule"));

const tolerationsFor = (n: FakeNode) =>
  n.taints.map((t) => (t.value === undefined ? { ...t, operator: "Exists" } : { ...t, operator: "Equal" }));

function workload(kind: "Deployment" | "StatefulSet", name: string, node: FakeNode, tolerate: boolean) {
  const labels = { app: name };
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name, namespace: ns },
    spec: {
      replicas: 2,
      ...(kind === "StatefulSet" ? { serviceName: name } : {}),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: node.labels,
          ...(tolerate ? { tolerations: tolerationsFor(node) } : {}),
          containers: [{ name: "app", image: "registry.example/app:1.0" }],
        },
      },
    },
  };
}

const plural = (kind: string) => (kind === "Deployment" ? "deployments" : "statefulsets");

interface Pod {
  metadata: { name: string; labels: Record<string, string> };
  spec: { nodeName?: string };
  status: { phase: string; conditions?: { type: string; status: string; reason?: string }[] };
}

async function pods(app: string): Promise<Pod[]> {
  const r = await kube<{ items: Pod[] }>(env, `/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`);
  return r.json.items;
}

describe("scheduling onto kwok nodes of the test placements", () => {
  beforeAll(async () => {
    expect(tainted, "the test placements declare a tainted node pool").toBeDefined();
    const r = await kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name: ns } } });
    expect(r.status, r.text).toBe(201);
  });
  afterAll(async () => {
    await kube(env, `/api/v1/namespaces/${ns}`, { method: "DELETE" });
  });

  it("has a Node per node pool, labelled and tainted as the placement declares", async () => {
    for (const n of env.kwok.nodes) {
      const node = (await kube(env, `/api/v1/nodes/${n.name}`)).json;
      expect(node.metadata.labels).toMatchObject(n.labels);
      expect(node.spec.taints ?? []).toEqual(n.taints);
    }
  });

  for (const kind of ["Deployment", "StatefulSet"] as const) {
    it(`a ${kind} on the tainted pool stays Pending without its tolerations and becomes Ready with them`, async () => {
      const node = tainted!;
      const blocked = `${kind.toLowerCase()}-untolerated`;
      const ok = `${kind.toLowerCase()}-tolerated`;
      for (const [name, tolerate] of [
        [blocked, false],
        [ok, true],
      ] as const) {
        const r = await kube(env, `/apis/apps/v1/namespaces/${ns}/${plural(kind)}`, {
          method: "POST",
          body: workload(kind, name, node, tolerate),
        });
        expect(r.status, r.text).toBe(201);
      }

      const ready = await eventually(
        `${kind} ${ok} Ready`,
        async () => {
          const o = (await kube(env, `/apis/apps/v1/namespaces/${ns}/${plural(kind)}/${ok}`)).json;
          return o.status?.readyReplicas === 2 ? o : undefined;
        },
        30_000,
      );
      expect(ready.status.readyReplicas).toBe(2);
      for (const p of await pods(ok)) expect(p.spec.nodeName).toBe(node.name);

      // The scheduler has looked at the untolerated Pod and said why it cannot place it.
      const [pending] = await eventually(
        `${blocked} Pod marked Unschedulable`,
        async () => {
          const list = await pods(blocked);
          const cond = list[0]?.status.conditions?.find((c) => c.type === "PodScheduled");
          return cond?.status === "False" && cond.reason === "Unschedulable" ? list : undefined;
        },
        30_000,
      );
      expect(pending!.status.phase).toBe("Pending");
      expect(pending!.spec.nodeName).toBeUndefined();
      const o = (await kube(env, `/apis/apps/v1/namespaces/${ns}/${plural(kind)}/${blocked}`)).json;
      expect(o.status.readyReplicas ?? 0).toBe(0);
    });
  }
});
