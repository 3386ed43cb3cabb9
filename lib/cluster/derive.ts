import type { RequestAction, RequestState } from "@/db/schema";

// One phase per tenant, combining Berth's request state with what the cluster reports.
export const TENANT_PHASES = [
  "Requested",
  "Awaiting approval",
  "Approved",
  "Syncing",
  "Provisioning",
  "Ready",
  "Degraded",
  "Deleting",
  "Deleted",
  "Failed",
] as const;
export type TenantPhase = (typeof TENANT_PHASES)[number];

export type Condition = { type: string; status?: string; reason?: string; message?: string };

/** What the status reader last saw of a tenant's objects (absent = not seen). */
export type Observation = {
  application?: {
    name: string;
    syncStatus?: string;
    healthStatus?: string;
    healthMessage?: string;
    revision?: string;
    operationPhase?: string;
    operationMessage?: string;
    conditions?: Condition[];
  };
  workload?: { kind: "StatefulSet" | "Deployment"; name: string; ready: number; desired: number };
  cluster?: {
    kind: "Cluster" | "TanzuKubernetesCluster" | "ManagedCluster";
    name: string;
    phase?: string;
    ready?: boolean;
    conditions?: Condition[];
  };
};

export type DeriveInput = {
  request: {
    state: RequestState;
    action: RequestAction;
    mergeCommitSha: string | null;
    // Argo CD's revision is the merge commit of a request merged after this one: Argo CD syncs the
    // branch head, and a later merge on the base branch contains this one.
    revisionIsLaterMerge?: boolean;
  } | null;
  observation: Observation;
  // Whether a management cluster is connected at all (none configured → the request decides alone).
  clusterConnected: boolean;
  dedicated: boolean;
};

export type Derived = { phase: TenantPhase; message: string | null; syncedToChange: boolean };

function blocking(conditions: Condition[] | undefined): string | null {
  const c =
    conditions?.find(
      (x) => x.status === "False" && (x.type === "Ready" || x.type.endsWith("Ready") || x.type === "Available"),
    ) ?? conditions?.find((x) => x.status === "False");
  return c ? (c.message ?? c.reason ?? `${c.type} is False`) : null;
}

/** The phase a tenant is in, and the message of whatever holds it back. Pure: tests feed it directly. */
export function derivePhase(input: DeriveInput): Derived {
  const { request, observation: o } = input;
  const app = o.application;
  const syncedToChange = Boolean(
    app?.revision &&
      request?.mergeCommitSha &&
      (app.revision === request.mergeCommitSha || request.revisionIsLaterMerge),
  );
  const state = request?.state;
  if (state === "submitted") return { phase: "Requested", message: null, syncedToChange };
  if (state === "pr_open") return { phase: "Awaiting approval", message: null, syncedToChange };
  if (state === "approved") return { phase: "Approved", message: "Merging the pull request.", syncedToChange };
  if (state === "failed") return { phase: "Failed", message: null, syncedToChange };
  if (state === "deleted") return { phase: "Deleted", message: null, syncedToChange };
  if (state === "deleting" || (state === "merged" && request?.action === "decommission")) {
    return app || o.workload || o.cluster
      ? { phase: "Deleting", message: "Argo CD is removing the tenant's objects.", syncedToChange }
      : { phase: "Deleted", message: null, syncedToChange };
  }
  if (!input.clusterConnected)
    return {
      phase: "Approved",
      message: "Merged. No management cluster connected: Berth cannot follow the rollout.",
      syncedToChange,
    };
  if (!app) return { phase: "Syncing", message: "Waiting for Argo CD to pick up the change.", syncedToChange };
  const opMessage = app.operationMessage ?? null;
  if (app.operationPhase === "Failed" || app.operationPhase === "Error")
    return { phase: "Failed", message: opMessage ?? "Argo CD could not apply the change.", syncedToChange };
  // Argo CD could not even render what it should sync (a chart it cannot fetch, a bad values
  // file): it retries forever, so this is the blocker to show, never "Syncing".
  const error = app.syncStatus !== "Synced" ? app.conditions?.find((c) => c.type.endsWith("Error")) : undefined;
  if (error && app.operationPhase !== "Running")
    return { phase: "Degraded", message: error.message ?? error.reason ?? error.type, syncedToChange };
  if (app.syncStatus !== "Synced" || !syncedToChange || app.operationPhase === "Running") {
    return {
      phase: "Syncing",
      message: opMessage ?? (syncedToChange ? null : "Argo CD has not applied the merged change yet."),
      syncedToChange,
    };
  }
  if (app.healthStatus === "Degraded" || app.healthStatus === "Missing") {
    return {
      phase: "Degraded",
      message: app.healthMessage ?? blocking(app.conditions) ?? `Argo CD reports ${app.healthStatus}.`,
      syncedToChange,
    };
  }
  if (input.dedicated) {
    const c = o.cluster;
    if (!c) return { phase: "Provisioning", message: "Waiting for the cluster object to appear.", syncedToChange };
    if (c.phase === "Failed")
      return { phase: "Failed", message: blocking(c.conditions) ?? "The cluster failed to provision.", syncedToChange };
    if (c.ready !== true)
      return {
        phase: "Provisioning",
        message: blocking(c.conditions) ?? (c.phase ? `Cluster is ${c.phase}.` : null),
        syncedToChange,
      };
  } else {
    const w = o.workload;
    if (!w) return { phase: "Provisioning", message: "Waiting for the vCluster to be created.", syncedToChange };
    if (w.ready < w.desired || w.desired === 0)
      return { phase: "Provisioning", message: `vCluster ${w.ready}/${w.desired} ready.`, syncedToChange };
  }
  if (app.healthStatus === "Progressing")
    return { phase: "Provisioning", message: app.healthMessage ?? null, syncedToChange };
  return { phase: "Ready", message: null, syncedToChange };
}
