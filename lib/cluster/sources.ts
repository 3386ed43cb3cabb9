import type { Condition, Observation } from "./derive";

// What the reader watches, and how each object shrinks to the few fields derivePhase needs.
// Only these slim facts are kept in memory (10,000 Applications must fit in 256 MB RSS).

export type AppFact = NonNullable<Observation["application"]>;
export type WorkloadFact = NonNullable<Observation["workload"]>;
export type ClusterFact = NonNullable<Observation["cluster"]>;
export type SourceKey = "application" | "workload" | "cluster";

/**
 * The fields the reader reads of a watched object, after the upstream types: Argo CD's
 * v1alpha1.Application (status.sync, .health, .operationState, .conditions), apps/v1 StatefulSet,
 * Cluster API v1beta1 Cluster, Tanzu v1alpha3 TanzuKubernetesCluster and ASO's ManagedCluster
 * (status.provisioningState). All optional: what the apiserver sends is read defensively.
 */
export type RawObject = {
  [field: string]: unknown;
  metadata?: {
    [field: string]: unknown;
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  spec?: { [field: string]: unknown; replicas?: number };
  status?: {
    [field: string]: unknown;
    conditions?: unknown;
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string; message?: string };
    readyReplicas?: number;
    phase?: string;
    controlPlaneReady?: boolean;
    provisioningState?: string;
  };
};

export type SourceDef = {
  name: string;
  key: SourceKey;
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  labelSelector: string;
  /** Tenant name and slim fact, or null for an object that is not a tenant's. */
  slim(obj: RawObject): { tenant: string; fact: AppFact | WorkloadFact | ClusterFact } | null;
};

type Raw = { type?: string; status?: string; reason?: string; message?: string };

function conditionsOf(list: unknown): Condition[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return (list as Raw[])
    .filter((c) => c && typeof c.type === "string")
    .map((c) => ({ type: c.type!, status: c.status, reason: c.reason, message: c.message }));
}

function readyCondition(conditions: Condition[] | undefined): boolean | undefined {
  const ready = conditions?.find((c) => c.type === "Ready");
  return ready ? ready.status === "True" : undefined;
}

export function sourceDefs(opts: { argocdNamespace: string; labelDomain: string }): SourceDef[] {
  const tenantLabel = `${opts.labelDomain}/tenant`;
  const tenantOf = (obj: RawObject): string | null => obj.metadata?.labels?.[tenantLabel] ?? null;
  const cluster = (
    kind: ClusterFact["kind"],
    obj: RawObject,
    phase: string | undefined,
    fallbackReady: boolean,
  ): { tenant: string; fact: ClusterFact } | null => {
    const tenant = tenantOf(obj);
    if (!tenant) return null;
    const conditions = conditionsOf(obj.status?.conditions);
    // Controllers spell failure differently (CAPI "Failed", Tanzu "failed", ASO provisioningState "Failed").
    const normalized = phase?.toLowerCase() === "failed" ? "Failed" : phase;
    return {
      tenant,
      fact: {
        kind,
        name: obj.metadata?.name ?? "",
        phase: normalized,
        ready: readyCondition(conditions) ?? fallbackReady,
        conditions,
      },
    };
  };
  return [
    {
      name: "applications",
      key: "application",
      group: "argoproj.io",
      version: "v1alpha1",
      plural: "applications",
      // All namespaces: the tenant's own Application is in Argo CD's namespace, the ones installing
      // its charts in the team's Applications namespace (berth-apps-<team>).
      labelSelector: tenantLabel,
      slim(obj) {
        const tenant = tenantOf(obj);
        if (!tenant) return null;
        const s = obj.status ?? {};
        // Argo CD conditions have no status field: its *Error conditions are the blocking ones.
        const conditions = (conditionsOf(s.conditions) ?? [])
          .filter((c) => c.type.endsWith("Error"))
          .map((c) => ({ ...c, status: "False" }));
        const fact: AppFact = {
          name: obj.metadata?.name ?? "",
          syncStatus: s.sync?.status,
          revision: s.sync?.revision ?? s.sync?.revisions?.[0],
          healthStatus: s.health?.status,
          healthMessage: s.health?.message,
          operationPhase: s.operationState?.phase,
          operationMessage: s.operationState?.message,
          conditions: conditions.length ? conditions : undefined,
        };
        return { tenant, fact };
      },
    },
    {
      // The vCluster chart's StatefulSet carries the chart's labels, not Berth's: tenant from the namespace.
      name: "statefulsets",
      key: "workload",
      group: "apps",
      version: "v1",
      plural: "statefulsets",
      labelSelector: "app=vcluster",
      slim(obj) {
        const ns: string = obj.metadata?.namespace ?? "";
        if (!ns.startsWith("tenant-")) return null;
        return {
          tenant: ns.slice("tenant-".length),
          fact: {
            kind: "StatefulSet",
            name: obj.metadata?.name ?? "",
            ready: obj.status?.readyReplicas ?? 0,
            desired: obj.spec?.replicas ?? 1,
          },
        };
      },
    },
    {
      name: "capi-clusters",
      key: "cluster",
      group: "cluster.x-k8s.io",
      version: "v1beta1",
      plural: "clusters",
      labelSelector: tenantLabel,
      slim: (obj) =>
        cluster(
          "Cluster",
          obj,
          obj.status?.phase,
          obj.status?.phase === "Provisioned" && obj.status?.controlPlaneReady === true,
        ),
    },
    {
      name: "tanzu-clusters",
      key: "cluster",
      group: "run.tanzu.vmware.com",
      version: "v1alpha3",
      plural: "tanzukubernetesclusters",
      labelSelector: tenantLabel,
      slim: (obj) => cluster("TanzuKubernetesCluster", obj, obj.status?.phase, obj.status?.phase === "running"),
    },
    {
      name: "aso-managedclusters",
      key: "cluster",
      group: "containerservice.azure.com",
      version: "v1api20240901",
      plural: "managedclusters",
      labelSelector: tenantLabel,
      slim: (obj) =>
        cluster("ManagedCluster", obj, obj.status?.provisioningState, obj.status?.provisioningState === "Succeeded"),
    },
  ];
}

const HEALTH_RANK: Record<string, number> = {
  Missing: 5,
  Degraded: 4,
  Progressing: 3,
  Suspended: 2,
  Unknown: 1,
  Healthy: 0,
};

/**
 * One Application view per tenant. The ApplicationSet's parent `tenant-<t>` tracks the Git
 * folder, so its revision is the merge commit ("synced to your change"); the child
 * `<t>-vcluster` deploys the chart (its revision is a chart version) and carries the workload's
 * health. Both count as seen: the name shown is the child's, the revision the parent's, and
 * sync, operation and health take the worst of all the tenant's Applications so a problem in
 * either is never hidden behind the other's green.
 */
export function mergeApplications(tenant: string, apps: Iterable<AppFact>): AppFact | undefined {
  const all = [...apps];
  if (all.length === 0) return undefined;
  const parent = all.find((a) => a.name === `tenant-${tenant}`);
  const child = all.find((a) => a.name === `${tenant}-vcluster`) ?? all.find((a) => a !== parent);
  const base = child ?? parent!;
  const unsynced = all.find((a) => a.syncStatus !== "Synced");
  const op =
    all.find((a) => a.operationPhase === "Failed" || a.operationPhase === "Error") ??
    all.find((a) => a.operationPhase === "Running") ??
    parent ??
    base;
  const health = all.reduce(
    (w, a) =>
      (HEALTH_RANK[a.healthStatus ?? "Unknown"] ?? 1) > (HEALTH_RANK[w.healthStatus ?? "Unknown"] ?? 1) ? a : w,
    base,
  );
  const conditions = all.flatMap((a) => a.conditions ?? []);
  return {
    name: base.name,
    revision: (parent ?? base).revision,
    syncStatus: unsynced ? unsynced.syncStatus : "Synced",
    healthStatus: health.healthStatus,
    healthMessage: health.healthMessage,
    operationPhase: op.operationPhase,
    operationMessage: op.operationMessage,
    conditions: conditions.length ? conditions : undefined,
  };
}

/** Several objects of one kind per tenant: the one named after the convention wins. */
export function pickNamed<T extends { name: string }>(facts: Iterable<T>, preferred: string): T | undefined {
  const all = [...facts];
  return all.find((f) => f.name === preferred) ?? all[0];
}
