import "server-only";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import type { Log } from "./informer";

export const LEASE_NAME = "berth-status-reader";

export type LeaseTiming = { durationSeconds: number; renewEveryMs: number; renewDeadlineMs: number };
const DEFAULT_TIMING: LeaseTiming = { durationSeconds: 15, renewEveryMs: 5_000, renewDeadlineMs: 10_000 };

const codeOf = (err: unknown): number | undefined => {
  const e = err as { code?: number; statusCode?: number } | undefined;
  return e?.code ?? e?.statusCode;
};
// MicroTime as the apiserver expects it; the typed client's V1MicroTime serialisation is rejected
// (400 "cannot be handled as a Lease"), so Leases go through the generic JSON client.
const microTime = (d: Date) => d.toISOString().replace("Z", "000Z");
type LeaseSpec = {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
};
type Lease = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
};

/**
 * One status reader among several replicas (client-go's algorithm, simplified). Every write is a
 * replace carrying the resourceVersion read just before, so two candidates racing for an expired
 * Lease cannot both win (the loser gets 409). Expiry is judged by when *we* last saw the record
 * change, not by the holder's clock. A leader that cannot renew for renewDeadline (< duration)
 * steps down before anyone else may take over.
 */
export function runLeaderElection(opts: {
  kubeConfig: KubeConfig;
  namespace: string;
  identity: string;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  log: Log;
  timing?: Partial<LeaseTiming>;
  /** Give the Lease up on stop so another replica takes over at once (default true). */
  releaseOnStop?: boolean;
}): { stop(): Promise<void>; isLeader(): boolean } {
  const { namespace, identity, log } = opts;
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { group: "coordination.k8s.io", version: "v1", plural: "leases", namespace, name: LEASE_NAME };
  const read = async (): Promise<Lease> => api.getNamespacedCustomObject(where);
  const replace = async (body: Lease) => api.replaceNamespacedCustomObject({ ...where, body });
  let leader = false;
  let stopped = false;
  let lastRenewed = 0;
  let observed: { key: string; at: number } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const setLeader = (next: boolean) => {
    if (next === leader) return;
    leader = next;
    log.info(
      { identity, lease: `${namespace}/${LEASE_NAME}` },
      next ? "lease acquired: this replica reads cluster status" : "lease lost",
    );
    try {
      if (next) opts.onStartedLeading();
      else opts.onStoppedLeading();
    } catch (err) {
      log.error({ err: String(err) }, "leader election callback failed");
    }
  };

  const spec = (lease: Lease | null, transitions: number): LeaseSpec => ({
    holderIdentity: identity,
    leaseDurationSeconds: timing.durationSeconds,
    acquireTime:
      lease?.spec?.holderIdentity === identity && lease.spec.acquireTime
        ? lease.spec.acquireTime
        : microTime(new Date()),
    renewTime: microTime(new Date()),
    leaseTransitions: transitions,
  });

  async function tryAcquireOrRenew(): Promise<boolean> {
    let lease: Lease | null = null;
    try {
      lease = await read();
    } catch (err) {
      if (codeOf(err) !== 404) throw err;
    }
    const now = Date.now();
    if (!lease) {
      const body = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: LEASE_NAME, namespace },
        spec: spec(null, 0),
      };
      await api.createNamespacedCustomObject({
        group: where.group,
        version: where.version,
        plural: where.plural,
        namespace,
        body,
      });
      return true;
    }
    const s = lease.spec ?? {};
    const key = `${s.holderIdentity ?? ""}|${s.renewTime ? new Date(s.renewTime).getTime() : ""}`;
    if (observed?.key !== key) observed = { key, at: now };
    const mine = s.holderIdentity === identity;
    const expired = !s.holderIdentity || now - observed.at > (s.leaseDurationSeconds ?? timing.durationSeconds) * 1000;
    if (!mine && !expired) return false;
    const transitions = (s.leaseTransitions ?? 0) + (mine ? 0 : 1);
    await replace({ ...lease, spec: { ...s, ...spec(lease, transitions) } });
    return true;
  }

  async function tick(): Promise<void> {
    try {
      if (await tryAcquireOrRenew()) {
        lastRenewed = Date.now();
        setLeader(true);
      } else setLeader(false);
    } catch (err) {
      // 409: someone else wrote first; anything else: apiserver unreachable. Either way keep
      // leading only while the last renewal is younger than the deadline.
      if (codeOf(err) !== 409) log.warn({ err: String((err as Error)?.message ?? err) }, "lease renewal failed");
      if (leader && Date.now() - lastRenewed > timing.renewDeadlineMs) setLeader(false);
      else if (!leader) setLeader(false);
    }
    if (!stopped) {
      timer = setTimeout(() => (running = tick()), timing.renewEveryMs);
      timer.unref?.();
    }
  }
  running = tick();

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      const wasLeader = leader;
      setLeader(false);
      if (!wasLeader || opts.releaseOnStop === false) return;
      try {
        const lease = await read();
        if (lease.spec?.holderIdentity !== identity) return;
        // client-go's release: no holder and a 1 s duration, so the next candidate need not wait.
        const { holderIdentity: _, ...rest } = lease.spec;
        await replace({ ...lease, spec: { ...rest, leaseDurationSeconds: 1 } });
      } catch (err) {
        log.warn({ err: String((err as Error)?.message ?? err) }, "could not release the lease");
      }
    },
  };
}
