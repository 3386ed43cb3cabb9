import "server-only";
import { CustomObjectsApi, ListWatch, Watch, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { AppFact, ClusterFact, RawObject, SourceDef, WorkloadFact } from "./sources";

export type Log = Pick<Logger, "info" | "warn" | "error">;
export type SlimObject = KubernetesObject & {
  tenant: string | null;
  fact: AppFact | WorkloadFact | ClusterFact | null;
};
export type SourceState = "starting" | "connected" | "disconnected" | "absent";

export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
export const ABSENT_RETRY_MS = 5 * 60_000;
const PAGE = 500;

/**
 * One resilient informer. The library's ListWatch does list + watch, resumes from the last
 * resourceVersion and relists on 410 Gone, but stops for good on any other error (apiserver
 * down, 404): this restarts it with backoff 1 s → 30 s, and a CRD that is not installed only
 * disables this source, retried every 5 minutes. Objects are slimmed before the ListWatch
 * caches them, so the cache holds a few fields per object rather than whole Applications.
 */
export function watchSource(opts: {
  kubeConfig: KubeConfig;
  def: SourceDef;
  log: Log;
  onUpsert(obj: SlimObject): void;
  onDelete(obj: SlimObject): void;
  onEvent(): void;
  onState(state: SourceState, error: string | null): void;
  backoff?: { minMs: number; maxMs: number; absentMs: number };
}) {
  const { kubeConfig, def, log } = opts;
  const backoff = opts.backoff ?? { minMs: BACKOFF_MIN_MS, maxMs: BACKOFF_MAX_MS, absentMs: ABSENT_RETRY_MS };
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const path = def.namespace
    ? `/apis/${def.group}/${def.version}/namespaces/${def.namespace}/${def.plural}`
    : `/apis/${def.group}/${def.version}/${def.plural}`;
  const real = new Watch(kubeConfig);
  let state: SourceState = "starting";
  let delay = backoff.minMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const setState = (next: SourceState, error: string | null = null) => {
    if (next === "connected") delay = backoff.minMs;
    if (next === state) return;
    state = next;
    opts.onState(next, error);
  };
  const slim = (obj: RawObject): SlimObject => {
    const s = def.slim(obj);
    const m = obj.metadata ?? {};
    return {
      metadata: { name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion },
      tenant: s?.tenant ?? null,
      fact: s?.fact ?? null,
    };
  };

  // Raw JSON pages through the generic custom-objects client (it serves /apis/apps/v1 too):
  // paging bounds the transient memory of a 10,000-object list, and no typed deserialisation.
  const list = async () => {
    const items: SlimObject[] = [];
    let cont: string | undefined;
    let resourceVersion = "";
    do {
      const q = {
        group: def.group,
        version: def.version,
        plural: def.plural,
        labelSelector: def.labelSelector,
        limit: PAGE,
        _continue: cont,
      };
      const page = def.namespace
        ? await api.listNamespacedCustomObject({ ...q, namespace: def.namespace })
        : await api.listClusterCustomObject(q);
      for (const o of page.items ?? []) items.push(slim(o));
      cont = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (cont);
    setState("connected");
    opts.onEvent();
    return { metadata: { resourceVersion }, items };
  };

  const slimWatch = {
    async watch(
      p: string,
      query: Record<string, unknown>,
      cb: (type: string, obj: unknown, raw: unknown) => void,
      done: (err: unknown) => void,
    ) {
      let failed = false;
      let finished = false;
      const finish = (err: unknown) => {
        if (finished) return;
        finished = true;
        if (err) failed = true;
        done(err);
      };
      const ctrl = await real.watch(
        p,
        { ...query, allowWatchBookmarks: true },
        (type: string, obj: RawObject & { code?: number }, raw: unknown) => {
          opts.onEvent();
          // ERROR (410) and BOOKMARK objects are read by ListWatch as they are.
          cb(type, type === "ADDED" || type === "MODIFIED" || type === "DELETED" ? slim(obj) : obj, raw);
          // ListWatch waits for the stream to end after an ERROR event (410 Gone: it has just
          // cleared its resourceVersion), but the apiserver may keep it open until the 30 s
          // inactivity timeout: end it now so the relist happens at once (measured: 28 s → 0).
          if (type === "ERROR") {
            log.info({ source: def.name, code: obj.code }, "status reader: watch expired; relisting");
            queueMicrotask(() => finish(null));
          }
        },
        finish,
      );
      // The request was answered 200 and the stream is open.
      if (!failed && !stopped) setState("connected");
      return ctrl;
    },
  } as unknown as Watch;

  const lw = new ListWatch<SlimObject>(path, slimWatch, list, false, def.labelSelector);
  lw.on("add", (o) => opts.onUpsert(o));
  lw.on("update", (o) => opts.onUpsert(o));
  lw.on("delete", (o) => opts.onDelete(o));

  const restartIn = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void lw.start().catch(onError), ms);
    timer.unref?.();
  };
  function onError(err: unknown) {
    if (stopped) return;
    const e = err as { code?: number; statusCode?: number; message?: string } | undefined;
    const code = e?.code ?? e?.statusCode;
    const message = String(e?.message ?? err).slice(0, 500);
    if (code === 404) {
      if (state !== "absent")
        log.warn(
          { source: def.name, path },
          "status reader: resource not served (CRD not installed?); retrying every 5 minutes",
        );
      setState("absent", null);
      restartIn(backoff.absentMs);
      return;
    }
    if (state !== "disconnected")
      log.warn({ source: def.name, err: message }, "status reader: watch failed; retrying with backoff");
    setState("disconnected", message);
    restartIn(delay);
    delay = Math.min(delay * 2, backoff.maxMs);
  }
  lw.on("error", onError);
  void lw.start().catch(onError);

  return {
    def,
    state: () => state,
    /** For tests: the resourceVersion a resumed watch would start from. */
    listWatch: lw,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await lw.stop();
    },
  };
}
export type SourceWatch = ReturnType<typeof watchSource>;
