import { describe, expect, it } from "vitest";
import { derivePhase, type DeriveInput, type Observation } from "./derive";
import { mergeApplications, sourceDefs } from "./sources";

const SHA = "a".repeat(40);
const merged = { state: "merged" as const, action: "create" as const, mergeCommitSha: SHA };
const app = (over: Partial<NonNullable<Observation["application"]>> = {}) => ({
  name: "demo-vcluster",
  syncStatus: "Synced",
  revision: SHA,
  healthStatus: "Healthy",
  ...over,
});
const vcluster = (ready: number, desired = 1) => ({ kind: "StatefulSet" as const, name: "vcluster", ready, desired });
const run = (over: Partial<DeriveInput>) =>
  derivePhase({ request: merged, observation: {}, clusterConnected: true, dedicated: false, ...over });

describe("derivePhase", () => {
  it("follows the request before anything reaches the cluster", () => {
    expect(run({ request: null }).phase).toBe("Syncing");
    expect(run({ request: { ...merged, state: "submitted" } }).phase).toBe("Requested");
    expect(run({ request: { ...merged, state: "pr_open" } }).phase).toBe("Awaiting approval");
    expect(run({ request: { ...merged, state: "approved" } })).toMatchObject({
      phase: "Approved",
      message: "Merging the pull request.",
    });
    expect(run({ request: { ...merged, state: "failed" } }).phase).toBe("Failed");
  });

  it("says so when no management cluster is connected instead of inventing progress", () => {
    const d = run({ clusterConnected: false, observation: { application: app() } });
    expect(d.phase).toBe("Approved");
    expect(d.message).toMatch(/No management cluster connected/);
  });

  it("is Syncing until Argo CD has applied the merge commit", () => {
    expect(run({})).toMatchObject({
      phase: "Syncing",
      message: "Waiting for Argo CD to pick up the change.",
      syncedToChange: false,
    });
    const old = run({ observation: { application: app({ revision: "b".repeat(40) }), workload: vcluster(1) } });
    expect(old).toMatchObject({
      phase: "Syncing",
      syncedToChange: false,
      message: "Argo CD has not applied the merged change yet.",
    });
    const outOfSync = run({ observation: { application: app({ syncStatus: "OutOfSync" }), workload: vcluster(1) } });
    expect(outOfSync).toMatchObject({ phase: "Syncing", syncedToChange: true });
    const running = run({
      observation: {
        application: app({
          operationPhase: "Running",
          operationMessage: "waiting for healthy state of apps/StatefulSet/vcluster",
        }),
      },
    });
    expect(running).toMatchObject({
      phase: "Syncing",
      message: "waiting for healthy state of apps/StatefulSet/vcluster",
    });
  });

  it("is synced to the change only when the revision equals the merge commit", () => {
    expect(run({ observation: { application: app() } }).syncedToChange).toBe(true);
    expect(run({ observation: { application: app({ revision: SHA.slice(0, 7) }) } }).syncedToChange).toBe(false);
    expect(
      run({ request: { ...merged, mergeCommitSha: null }, observation: { application: app() } }).syncedToChange,
    ).toBe(false);
    expect(run({ observation: { application: app({ revision: undefined }) } }).syncedToChange).toBe(false);
  });

  it("is synced to the change when Argo CD synced a later merge of Berth's on the branch (it contains this one)", () => {
    const later = app({ revision: "f".repeat(40) });
    expect(run({ observation: { application: later } }).syncedToChange).toBe(false);
    const r = run({ request: { ...merged, revisionIsLaterMerge: true }, observation: { application: later } });
    expect(r.syncedToChange).toBe(true);
    expect(r.phase).not.toBe("Syncing");
  });

  it("reports a failed sync operation with Argo CD's message", () => {
    const d = run({
      observation: {
        application: app({ operationPhase: "Failed", operationMessage: "one or more objects failed to apply" }),
      },
    });
    expect(d).toMatchObject({ phase: "Failed", message: "one or more objects failed to apply" });
    expect(run({ observation: { application: app({ operationPhase: "Error" }) } }).message).toBe(
      "Argo CD could not apply the change.",
    );
  });

  it("is Degraded with Argo CD's error when it cannot render the manifests (a chart it cannot fetch), not Syncing forever", () => {
    const message = "Failed to load target state: failed to generate manifest for source 1 of 1: error fetching chart";
    const broken = app({
      syncStatus: "Unknown",
      healthStatus: "Healthy",
      conditions: [{ type: "ComparisonError", status: "False", message }],
    });
    expect(run({ observation: { application: broken } })).toMatchObject({ phase: "Degraded", message });
    // While a sync runs, its progress is the news.
    expect(run({ observation: { application: { ...broken, operationPhase: "Running" } } }).phase).toBe("Syncing");
  });

  it("is Degraded with the health message, else the blocking condition, else the status", () => {
    expect(
      run({ observation: { application: app({ healthStatus: "Degraded", healthMessage: "Back-off pulling image" }) } })
        .message,
    ).toBe("Back-off pulling image");
    const cond = run({
      observation: {
        application: app({
          healthStatus: "Degraded",
          conditions: [
            { type: "Healthy", status: "True" },
            { type: "SyncError", status: "False", message: "quota exceeded" },
          ],
        }),
      },
    });
    expect(cond).toMatchObject({ phase: "Degraded", message: "quota exceeded" });
    expect(run({ observation: { application: app({ healthStatus: "Missing" }) } }).message).toBe(
      "Argo CD reports Missing.",
    );
  });

  it("waits for the vCluster workload of a shared tenant", () => {
    expect(run({ observation: { application: app() } })).toMatchObject({
      phase: "Provisioning",
      message: "Waiting for the vCluster to be created.",
    });
    expect(run({ observation: { application: app(), workload: vcluster(0) } })).toMatchObject({
      phase: "Provisioning",
      message: "vCluster 0/1 ready.",
    });
    expect(run({ observation: { application: app(), workload: vcluster(0, 0) } }).phase).toBe("Provisioning");
    expect(
      run({
        observation: {
          application: app({ healthStatus: "Progressing", healthMessage: "rolling out" }),
          workload: vcluster(1),
        },
      }),
    ).toMatchObject({ phase: "Provisioning", message: "rolling out" });
    expect(run({ observation: { application: app(), workload: vcluster(1) } })).toEqual({
      phase: "Ready",
      message: null,
      syncedToChange: true,
    });
  });

  it("waits for the cluster of a dedicated tenant and gives the message of its blocking condition", () => {
    const dedicated = (cluster?: Observation["cluster"]) =>
      run({ dedicated: true, observation: { application: app(), cluster } });
    expect(dedicated()).toMatchObject({ phase: "Provisioning", message: "Waiting for the cluster object to appear." });
    const conditions = [
      { type: "InfrastructureReady", status: "True" },
      { type: "ControlPlaneReady", status: "False", message: "0 of 3 control plane machines ready" },
      { type: "Ready", status: "False", reason: "WaitingForControlPlane" },
    ];
    // The first false *Ready condition holds it back (not the True one before it).
    expect(dedicated({ kind: "Cluster", name: "demo", phase: "Provisioning", ready: false, conditions })).toMatchObject(
      { phase: "Provisioning", message: "0 of 3 control plane machines ready" },
    );
    // Without a message its reason is shown; a non-Ready False condition counts when no *Ready one is False.
    expect(
      dedicated({
        kind: "Cluster",
        name: "demo",
        ready: false,
        conditions: [{ type: "Ready", status: "False", reason: "WaitingForControlPlane" }],
      }),
    ).toMatchObject({ message: "WaitingForControlPlane" });
    expect(
      dedicated({ kind: "Cluster", name: "demo", ready: false, conditions: [{ type: "Paused", status: "False" }] }),
    ).toMatchObject({ message: "Paused is False" });
    expect(dedicated({ kind: "Cluster", name: "demo", phase: "Provisioning", ready: false })).toMatchObject({
      message: "Cluster is Provisioning.",
    });
    expect(
      dedicated({
        kind: "ManagedCluster",
        name: "demo",
        phase: "Failed",
        ready: false,
        conditions: [{ type: "Ready", status: "False", message: "QuotaExceeded: cores" }],
      }),
    ).toMatchObject({ phase: "Failed", message: "QuotaExceeded: cores" });
    expect(dedicated({ kind: "Cluster", name: "demo", phase: "Provisioned", ready: true }).phase).toBe("Ready");
  });

  it("is Deleting while a decommission's objects remain, then Deleted", () => {
    const decommission = { state: "deleting" as const, action: "decommission" as const, mergeCommitSha: SHA };
    expect(run({ request: decommission, observation: { workload: vcluster(1) } })).toMatchObject({
      phase: "Deleting",
      message: "Argo CD is removing the tenant's objects.",
    });
    expect(run({ request: decommission }).phase).toBe("Deleted");
    expect(run({ request: { ...decommission, state: "merged" }, observation: { application: app() } }).phase).toBe(
      "Deleting",
    );
    expect(run({ request: { ...decommission, state: "deleted" } }).phase).toBe("Deleted");
  });
});

describe("the reader's slim facts", () => {
  const [apps, sts, capi, , aso] = sourceDefs({ argocdNamespace: "argocd", labelDomain: "berth.io" });
  const labels = { "berth.io/tenant": "demo" };

  it("takes the revision from the Git-tracking parent and the worst health of both Applications", () => {
    const parent = app({ name: "tenant-demo", revision: SHA, healthStatus: "Healthy" });
    const child = app({
      name: "demo-vcluster",
      revision: "0.26.0",
      healthStatus: "Degraded",
      healthMessage: "crash loop",
    });
    expect(mergeApplications("demo", [parent, child])).toMatchObject({
      name: "demo-vcluster",
      revision: SHA,
      healthStatus: "Degraded",
      healthMessage: "crash loop",
      syncStatus: "Synced",
    });
    expect(
      mergeApplications("demo", [parent, app({ name: "demo-vcluster", syncStatus: "OutOfSync" })])?.syncStatus,
    ).toBe("OutOfSync");
    expect(mergeApplications("demo", [])).toBeUndefined();
  });

  it("slims an Application, a vCluster StatefulSet and cluster objects to what derivePhase reads", () => {
    const a = apps!.slim({
      metadata: { name: "demo-vcluster", labels, managedFields: [{}] },
      status: {
        sync: { status: "Synced", revision: SHA },
        health: { status: "Healthy" },
        conditions: [
          { type: "SyncError", message: "boom" },
          { type: "SharedResourceWarning", message: "meh" },
        ],
        resources: [{}],
      },
    });
    expect(a).toEqual({
      tenant: "demo",
      fact: {
        name: "demo-vcluster",
        syncStatus: "Synced",
        revision: SHA,
        healthStatus: "Healthy",
        healthMessage: undefined,
        operationPhase: undefined,
        operationMessage: undefined,
        conditions: [{ type: "SyncError", status: "False", reason: undefined, message: "boom" }],
      },
    });
    expect(
      sts!.slim({ metadata: { name: "vcluster", namespace: "tenant-demo" }, spec: { replicas: 1 }, status: {} }),
    ).toEqual({ tenant: "demo", fact: { kind: "StatefulSet", name: "vcluster", ready: 0, desired: 1 } });
    expect(sts!.slim({ metadata: { name: "vcluster", namespace: "kube-system" } })).toBeNull();
    expect(
      capi!.slim({
        metadata: { name: "demo", labels },
        status: { phase: "Provisioned", conditions: [{ type: "Ready", status: "True" }] },
      })?.fact,
    ).toMatchObject({ kind: "Cluster", ready: true, phase: "Provisioned" });
    expect(
      aso!.slim({ metadata: { name: "demo", labels }, status: { provisioningState: "failed" } })?.fact,
    ).toMatchObject({ kind: "ManagedCluster", phase: "Failed", ready: false });
  });
});
