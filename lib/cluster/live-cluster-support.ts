// The cluster side of the status reader's live tests (not a test file itself), done by the real
// components of the test environment: a tenant's files are committed to the Gitea GitOps
// repository, Argo CD syncs them, the controllers and kwok run the workloads. Only what no
// controller of the environment owns (Cluster API's Cluster status) is written by the test.
import { expect } from "vitest";
import { kube } from "@/tests/testenv/env";
import { appsPath, commit, refreshApplication } from "@/tests/testenv/gitops";
import { env } from "./live-test-support";

export const tenantNamespace = (tenant: string) => `tenant-${tenant}`;
const folder = (tenant: string) => `live/${tenant}`;
const json = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;

const ok = async (what: string, p: ReturnType<typeof kube>) => {
  const r = await p;
  expect(r.status, `${what}: ${r.text}`).toBeLessThan(300);
  return r;
};

export const manifests = {
  namespace: (tenant: string) =>
    json({ apiVersion: "v1", kind: "Namespace", metadata: { name: tenantNamespace(tenant) } }),
  /** The vCluster chart's StatefulSet (its labels), placed on the test pool `pool` (no Node until addNode). */
  vcluster: (tenant: string, pool: string) => {
    const labels = { app: "vcluster", release: "vcluster" };
    return json({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "vcluster", namespace: tenantNamespace(tenant), labels },
      spec: {
        replicas: 1,
        serviceName: "vcluster-headless",
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: { "berth.io/test-pool": pool },
            containers: [{ name: "syncer", image: "ghcr.io/loft-sh/vcluster:0.26.0" }],
          },
        },
      },
    });
  },
  /** A Deployment that cannot be scheduled and gives up after 1 s: Argo CD reports it Degraded. */
  stuckDeployment: (tenant: string) =>
    json({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "syncer", namespace: tenantNamespace(tenant) },
      spec: {
        replicas: 1,
        progressDeadlineSeconds: 1,
        selector: { matchLabels: { app: "syncer" } },
        template: {
          metadata: { labels: { app: "syncer" } },
          spec: {
            nodeSelector: { "berth.io/test-pool": "no-such-pool" },
            containers: [{ name: "syncer", image: "ghcr.io/loft-sh/vcluster:0.26.0" }],
          },
        },
      },
    }),
  /** The dedicated-onprem template's Cluster (Cluster API v1beta1, topology of the Tanzu class). */
  capiCluster: (tenant: string) =>
    json({
      apiVersion: "cluster.x-k8s.io/v1beta1",
      kind: "Cluster",
      metadata: { name: tenant, namespace: tenantNamespace(tenant), labels: { "berth.io/tenant": tenant } },
      spec: { topology: { class: "tanzukubernetescluster", version: "v1.33.1" } },
    }),
};

/** One commit writing (and removing) files under the tenant's test folder; returns its SHA. */
export function commitTenant(
  tenant: string,
  files: Record<string, string>,
  opts: { remove?: string[]; message?: string } = {},
): Promise<string> {
  return commit(env, {
    message: opts.message ?? `live test: ${tenant}`,
    write: Object.fromEntries(Object.entries(files).map(([p, c]) => [`${folder(tenant)}/${p}`, c])),
    remove: opts.remove?.map((p) => `${folder(tenant)}/${p}`),
  });
}

/**
 * An Application for the tenant as Berth's ApplicationSet would make it (its labels, automated
 * sync with prune); `finalizer` makes deleting it delete what it applied. Without `retry` Argo CD
 * 3.x retries a failed automated sync 5 times (minutes) before it reports it Failed.
 */
export async function createTenantApplication(
  tenant: string,
  opts: { name?: string; subfolder?: string; finalizer?: boolean; retry?: Record<string, unknown> } = {},
): Promise<string> {
  const name = opts.name ?? `tenant-${tenant}`;
  await ok(
    `create application ${name}`,
    kube(env, appsPath(env), {
      method: "POST",
      body: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
          name,
          namespace: env.argocd.namespace,
          labels: { "berth.io/tenant": tenant, "berth.io/team": "payments", "berth.io/request": "r" },
          ...(opts.finalizer ? { finalizers: ["resources-finalizer.argocd.argoproj.io"] } : {}),
        },
        spec: {
          project: env.argocd.project,
          source: {
            repoURL: env.argocd.repoURL,
            targetRevision: env.gitea.defaultBranch,
            path: opts.subfolder ? `${folder(tenant)}/${opts.subfolder}` : folder(tenant),
          },
          destination: { server: env.argocd.destination },
          syncPolicy: { automated: { prune: true, selfHeal: true }, ...(opts.retry ? { retry: opts.retry } : {}) },
        },
      },
    }),
  );
  return name;
}

export const refresh = (name: string) => refreshApplication(env, name);

export async function deleteApplication(name: string): Promise<void> {
  await ok(`delete application ${name}`, kube(env, `${appsPath(env)}/${name}`, { method: "DELETE" }));
}

/** A kwok Node for the test pool `pool`: Pods waiting for it get scheduled and become Ready. */
export async function addNode(pool: string): Promise<() => Promise<void>> {
  const name = `test-pool-${pool}`;
  const { key, value } = env.kwok.nodeAnnotation;
  await ok(
    `create node ${name}`,
    kube(env, "/api/v1/nodes", {
      method: "POST",
      body: {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name,
          annotations: { [key]: value },
          labels: { "kubernetes.io/hostname": name, "berth.io/test-pool": pool },
        },
        status: {
          capacity: { cpu: "8", memory: "32Gi", pods: "110" },
          allocatable: { cpu: "8", memory: "32Gi", pods: "110" },
        },
      },
    }),
  );
  return async () => {
    await kube(env, `/api/v1/nodes/${name}`, { method: "DELETE" });
  };
}

/** Writes an object's status as its controller would (for kinds no controller here owns: Cluster API). */
export async function patchStatus(objectPath: string, status: Record<string, unknown>): Promise<void> {
  await ok(
    `patch ${objectPath}/status`,
    kube(env, `${objectPath}/status`, {
      method: "PATCH",
      contentType: "application/merge-patch+json",
      body: { status },
    }),
  );
}
