// kwok: Nodes without machines and Pods without containers, with kwok's own node and pod stages.
// One Node per node pool of the given placements, labelled and tainted exactly as the pool
// declares, so a Pod lands only where its node selector and tolerations allow.
import fs from "node:fs";
import path from "node:path";
import {
  DEFAULT_PLACEMENTS as BERTH_DEFAULT_PLACEMENTS,
  loadPlacements,
  type Placement,
} from "../../lib/config/placements";
import { apply, type KubeObject } from "./kube-api";
import type { Kube } from "./kube";
import type { Supervisor } from "./processes";
import type { Builds, FakeNode, KwokEnv, Log, Taint } from "./types";
import { freePort, request, waitFor } from "./util";

export const NODE_ANNOTATION = { key: "kwok.x-k8s.io/node", value: "fake" };

type Toleration = Extract<Placement, { kind: "vcluster-host" }>["nodePools"][number]["tolerations"][number];

/** The taint a toleration is written for: Equal tolerates key=value, Exists any value of the key. */
export function taintFor(t: Toleration): Taint {
  return t.operator === "Exists" || t.value === undefined
    ? { key: t.key, effect: t.effect }
    : { key: t.key, value: t.value, effect: t.effect };
}

/** The Nodes for every node pool of the placements ("default": Berth's built-in placements). */
export function nodesFor(sources: string[]): FakeNode[] {
  const nodes = new Map<string, FakeNode>();
  for (const source of sources) {
    const placements = source === "default" ? BERTH_DEFAULT_PLACEMENTS : loadPlacements(path.resolve(source));
    for (const p of placements) {
      if (p.kind !== "vcluster-host") continue; // dedicated kinds bring their own clusters
      for (const pool of p.nodePools) {
        const node: FakeNode = {
          name: `${p.name}-${pool.name}`,
          placement: p.name,
          pool: pool.name,
          labels: { ...pool.nodeSelector },
          taints: pool.tolerations.map(taintFor),
        };
        const seen = nodes.get(node.name);
        if (seen && JSON.stringify(seen) !== JSON.stringify(node)) {
          throw new Error(`${source}: node pool ${p.name}/${pool.name} differs from an earlier placements file`);
        }
        nodes.set(node.name, node);
      }
    }
  }
  return [...nodes.values()];
}

function nodeObject(n: FakeNode): KubeObject {
  const resources = { cpu: "32", memory: "128Gi", pods: "110", "ephemeral-storage": "500Gi" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      annotations: { [NODE_ANNOTATION.key]: NODE_ANNOTATION.value, "node.alpha.kubernetes.io/ttl": "0" },
      // The well-known labels a kubelet sets, then the pool's own (which win).
      labels: {
        "kubernetes.io/hostname": n.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        type: "kwok",
        ...n.labels,
      },
    },
    spec: { taints: n.taints },
    status: { capacity: resources, allocatable: resources },
  };
}

export async function startKwok(opts: {
  builds: Builds;
  kube: Kube;
  sup: Supervisor;
  placements: string[];
  log: Log;
}): Promise<KwokEnv> {
  const { builds, kube, sup, log } = opts;
  const kwok = builds.kwok!;
  const stagesDir = path.join(kwok.dir, "stages");
  const stages = fs
    .readdirSync(stagesDir)
    .flatMap((d) => fs.readdirSync(path.join(stagesDir, d)).map((f) => path.join(stagesDir, d, f)));
  const port = await freePort();
  const proc = sup.start("kwok", kwok.path, [
    `--kubeconfig=${kube.env.kubeconfig}`,
    "--manage-all-nodes=false",
    `--manage-nodes-with-annotation-selector=${NODE_ANNOTATION.key}=${NODE_ANNOTATION.value}`,
    `--server-address=127.0.0.1:${port}`,
    "--cidr=10.244.0.0/16",
    "--node-ip=10.240.0.1",
    ...stages.flatMap((s) => ["-c", s]),
  ]);
  await waitFor("kwok /healthz", async () => (await request(`http://127.0.0.1:${port}/healthz`)).status === 200, {
    proc,
  });
  const nodes = nodesFor(opts.placements);
  for (const n of nodes) await apply(kube.client, nodeObject(n));
  // Ready once kwok has initialised each Node and the node lifecycle controller has lifted the
  // not-ready taint every new Node starts with.
  await waitFor(
    `nodes ${nodes.map((n) => n.name).join(", ")} Ready and schedulable`,
    async () => {
      for (const n of nodes) {
        const r = await kube.client.request(`/api/v1/nodes/${n.name}`);
        const node = r.json() as {
          spec: { taints?: Taint[] };
          status: { conditions?: { type: string; status: string }[] };
        };
        const ready = node.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
        const notReady = node.spec.taints?.some((t) => t.key.startsWith("node.kubernetes.io/"));
        if (!ready || notReady) return false;
      }
      return true;
    },
    { proc, timeoutMs: 90_000 },
  );
  log(`kwok ${kwok.version}: nodes ${nodes.map((n) => n.name).join(", ")} ready`);
  return { version: kwok.version, nodeAnnotation: NODE_ANNOTATION, nodes, placements: opts.placements };
}
