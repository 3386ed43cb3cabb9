import "server-only";
import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import { loadKubeConfig } from "./connection";
import type { Log } from "./informer";
import { runLeaderElection } from "./lease";
import { startStatusReader, type StatusReader } from "./reader";
import { refreshTenant } from "./refresh-tenant";

export type ClusterStatus = {
  stop(): Promise<void>;
  /** Nudges Argo CD after a merge: the ApplicationSet, the team projects and the tenant's Applications. */
  refresh(tenantName: string): Promise<void>;
  isLeader(): boolean;
};

/**
 * Live status for this replica: it competes for the Lease and runs the reader only while it holds
 * it, so several replicas never write status twice. Null when no management cluster is configured.
 */
export function startClusterStatus(opts: {
  config: Pick<Config, "cluster" | "labelDomain">;
  db: Db;
  log: Log;
  identity: string;
}): ClusterStatus | null {
  const { config, db, log, identity } = opts;
  const kubeConfig = loadKubeConfig(config.cluster);
  if (!kubeConfig) return null;
  let reader: StatusReader | null = null;
  // Start and stop run one after the other, so a quick lose/regain never leaves two readers.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (step: () => Promise<void> | void) => {
    chain = chain.then(step).catch((err) => log.error({ err: String(err) }, "status reader start/stop failed"));
  };
  const election = runLeaderElection({
    kubeConfig,
    namespace: config.cluster.leaseNamespace,
    identity,
    log,
    onStartedLeading: () =>
      enqueue(() => {
        reader ??= startStatusReader({
          kubeConfig,
          db,
          argocdNamespace: config.cluster.argocdNamespace,
          labelDomain: config.labelDomain,
          log,
          holder: identity,
        });
      }),
    onStoppedLeading: () =>
      enqueue(async () => {
        const r = reader;
        reader = null;
        await r?.stop();
      }),
  });
  return {
    isLeader: () => election.isLeader(),
    async stop() {
      // Reader first, then the Lease: the next leader must not start while we still write.
      enqueue(async () => {
        const r = reader;
        reader = null;
        await r?.stop();
      });
      await chain;
      await election.stop();
      await chain;
    },
    async refresh(tenantName) {
      await refreshTenant({
        kubeConfig,
        argocdNamespace: config.cluster.argocdNamespace,
        labelDomain: config.labelDomain,
        tenant: tenantName,
      });
      reader?.touch(tenantName);
    },
  };
}
