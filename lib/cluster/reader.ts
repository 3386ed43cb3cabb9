import "server-only";
import os from "node:os";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Db } from "@/lib/db";
import type { Observation } from "./derive";
import { watchSource, type Log, type SlimObject, type SourceState, type SourceWatch } from "./informer";
import {
  mergeApplications,
  pickNamed,
  sourceDefs,
  type AppFact,
  type ClusterFact,
  type SourceDef,
  type SourceKey,
  type WorkloadFact,
} from "./sources";
import { markReaderStopped, recordObservation, recordReaderHealth } from "./status-store";

export type StatusReader = {
  stop(): Promise<void>;
  health(): { connected: boolean; lastEventAt: Date | null; objects: number };
  /** Re-derive a tenant even if the cluster did not change (its request did, e.g. merged). */
  touch(tenantName: string): void;
};

const DB_CONCURRENCY = 8;

/**
 * Watches the tenants' objects and persists one derived status per tenant. Writes are debounced
 * (~50 ms) and skipped when the slim observation did not change: Argo CD rewrites every
 * Application's status on each 3-minute refresh, which must not turn into 10,000 writes.
 */
export function startStatusReader(opts: {
  kubeConfig: KubeConfig;
  db: Db;
  argocdNamespace: string;
  labelDomain: string;
  log: Log;
  holder?: string;
  debounceMs?: number;
  heartbeatMs?: number;
  backoff?: { minMs: number; maxMs: number; absentMs: number };
}): StatusReader {
  const { db, log } = opts;
  const holder = opts.holder ?? os.hostname();
  const debounceMs = opts.debounceMs ?? 50;
  // tenant → object key → slim fact, per kind of source.
  const facts: Record<SourceKey, Map<string, Map<string, AppFact | WorkloadFact | ClusterFact>>> = {
    application: new Map(),
    workload: new Map(),
    cluster: new Map(),
  };
  const written = new Map<string, string>();
  const dirty = new Set<string>();
  let objects = 0;
  let lastEventAt: Date | null = null;
  let lastError: string | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | null = null;

  const observationOf = (tenant: string): Observation => {
    const o: Observation = {};
    const apps = facts.application.get(tenant) as Map<string, AppFact> | undefined;
    if (apps?.size) o.application = mergeApplications(tenant, apps.values());
    const w = facts.workload.get(tenant) as Map<string, WorkloadFact> | undefined;
    if (w?.size) o.workload = pickNamed(w.values(), "vcluster");
    const c = facts.cluster.get(tenant) as Map<string, ClusterFact> | undefined;
    if (c?.size) o.cluster = pickNamed(c.values(), tenant);
    return o;
  };

  const schedule = (ms: number) => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      flushing ??= flush().finally(() => (flushing = null));
    }, ms);
  };
  const mark = (tenant: string) => {
    dirty.add(tenant);
    schedule(debounceMs);
  };

  async function flush(): Promise<void> {
    const retry: string[] = [];
    while (dirty.size && !stopped) {
      const batch = [...dirty];
      dirty.clear();
      let i = 0;
      const worker = async () => {
        while (i < batch.length && !stopped) {
          const tenant = batch[i++]!;
          const observation = observationOf(tenant);
          const sig = JSON.stringify(observation);
          if (written.get(tenant) === sig) continue;
          try {
            await recordObservation({ db, tenantName: tenant, observation, clusterConnected: true });
            // An empty observation was the last word about a tenant (decommission done): forget it.
            if (sig === "{}") written.delete(tenant);
            else written.set(tenant, sig);
          } catch (err) {
            log.warn({ tenant, err: String(err) }, "status reader: could not record a tenant's status; retrying");
            retry.push(tenant);
          }
        }
      };
      await Promise.all(Array.from({ length: DB_CONCURRENCY }, worker));
    }
    for (const t of retry) dirty.add(t);
    if (retry.length) schedule(1_000);
  }

  const keyOf = (def: SourceDef, o: SlimObject) => `${def.name}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
  const upsert = (def: SourceDef, o: SlimObject) => {
    if (!o.tenant || !o.fact) return;
    let byTenant = facts[def.key].get(o.tenant);
    if (!byTenant) {
      byTenant = new Map();
      facts[def.key].set(o.tenant, byTenant);
    }
    const key = keyOf(def, o);
    if (!byTenant.has(key)) objects++;
    byTenant.set(key, o.fact);
    mark(o.tenant);
  };
  const remove = (def: SourceDef, o: SlimObject) => {
    if (!o.tenant) return;
    const byTenant = facts[def.key].get(o.tenant);
    if (byTenant?.delete(keyOf(def, o))) objects--;
    if (byTenant && byTenant.size === 0) facts[def.key].delete(o.tenant);
    mark(o.tenant);
  };

  const connected = () => {
    const active = watchers.filter((w) => w.state() !== "absent");
    return active.length > 0 && active.every((w) => w.state() === "connected");
  };
  // Health writes are chained so a late heartbeat never overwrites a newer disconnect.
  let healthChain: Promise<void> = Promise.resolve();
  let lastWritten: boolean | null = null;
  const writeHealth = (force = false) => {
    const now = connected();
    if (!force && now === lastWritten) return;
    lastWritten = now;
    const snapshot = { holder, connected: now, lastEventAt, error: now ? null : lastError };
    healthChain = healthChain
      .then(() => (stopped ? undefined : recordReaderHealth({ db, ...snapshot })))
      .catch((err) => log.warn({ err: String(err) }, "status reader: could not record reader health"));
  };
  const onState = (state: SourceState, error: string | null) => {
    if (error) lastError = error;
    writeHealth();
    if (state === "connected" && connected()) log.info({ holder }, "status reader: watching");
  };

  const watchers: SourceWatch[] = sourceDefs(opts).map((def) =>
    watchSource({
      kubeConfig: opts.kubeConfig,
      def,
      log,
      backoff: opts.backoff,
      onState,
      onUpsert: (o) => upsert(def, o),
      onDelete: (o) => remove(def, o),
      onEvent: () => (lastEventAt = new Date()),
    }),
  );
  writeHealth(true);
  const heartbeat = setInterval(() => writeHealth(true), opts.heartbeatMs ?? 15_000);
  heartbeat.unref?.();

  return {
    health: () => ({ connected: connected(), lastEventAt, objects }),
    touch(tenant) {
      written.delete(tenant);
      mark(tenant);
    },
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      clearTimeout(timer);
      await Promise.all(watchers.map((w) => w.stop()));
      await flushing;
      await healthChain;
      // Only our own row: a new leader may already have written its own.
      await markReaderStopped({ db, holder }).catch(() => undefined);
    },
  };
}
