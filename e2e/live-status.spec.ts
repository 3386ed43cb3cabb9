// Live status end to end: a Berth connected to the test environment's real kube-apiserver. The
// Application is written by the test as Argo CD would write it, in a namespace Argo CD does not
// manage (this Berth commits to a local repository Argo CD cannot clone); the vCluster's
// StatefulSet is real: the controllers and kwok run it. The open page follows.
import { expect, test } from "@playwright/test";
import { kube, loadTestEnv } from "../tests/testenv/env";
import { LIVE_ARGOCD_NAMESPACE, signIn } from "./support";

// Argo CD's Application CRD has no status subresource: status goes through the resource.
const merge = { method: "PATCH", contentType: "application/merge-patch+json" } as const;

async function ok(what: string, p: ReturnType<typeof kube>) {
  const r = await p;
  if (r.status >= 300 && r.status !== 409) throw new Error(`${what}: ${r.status} ${r.text}`);
}

test("a tenant page follows the cluster without reloading: Syncing → Provisioning → Ready", async ({ page }) => {
  const env = loadTestEnv(); // fails, naming BERTH_TESTENV_FILE, when the environment is missing
  await signIn(page, "newcomer");
  await page.getByTestId("sandbox-card").getByRole("button", { name: "Get a sandbox" }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestId = page.url().split("/").pop()!;
  await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "merged", { timeout: 20_000 });
  const detail = await (await page.request.get(`/api/v1/requests/${requestId}`)).json();
  const tenant: string = detail.tenant;
  const sha: string = detail.mergeCommitSha;
  expect(sha).toMatch(/^[0-9a-f]{40}$/);

  await page.goto(`/tenants/${tenant}`);
  const status = page.getByTestId("tenant-status");
  await expect(status.locator("[data-phase]")).toHaveAttribute("data-phase", "Syncing");
  await expect(page.getByTestId("access-panel")).toHaveCount(0);

  // Argo CD creates the Application and syncs the merge commit.
  const apps = `/apis/argoproj.io/v1alpha1/namespaces/${LIVE_ARGOCD_NAMESPACE}/applications`;
  const app = `${apps}/${tenant}-vcluster`;
  await ok(
    "namespace",
    kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name: LIVE_ARGOCD_NAMESPACE } } }),
  );
  await ok(
    "app",
    kube(env, apps, {
      method: "POST",
      body: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
          name: `${tenant}-vcluster`,
          namespace: LIVE_ARGOCD_NAMESPACE,
          labels: { "berth.io/tenant": tenant },
        },
        spec: {
          project: "berth-tenants",
          source: { repoURL: "https://charts.loft.sh", chart: "vcluster", targetRevision: "0.26.0" },
          destination: { server: "https://kubernetes.default.svc", namespace: `tenant-${tenant}` },
        },
      },
    }),
  );
  await ok(
    "app status",
    kube(env, app, {
      ...merge,
      body: {
        status: {
          sync: { status: "Synced", revision: sha },
          health: { status: "Progressing" },
          // As Argo CD writes it (its CRD requires the operation and its start).
          operationState: {
            operation: { sync: { revision: sha }, initiatedBy: { automated: true } },
            phase: "Succeeded",
            message: "successfully synced (all tasks run)",
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
          },
        },
      },
    }),
  );
  // Generous once: a replica that just started may wait out a previous holder's Lease (15 s).
  await expect(status.locator("[data-phase]")).toHaveAttribute("data-phase", "Provisioning", { timeout: 30_000 });
  await expect(page.getByTestId("synced-to-change")).toBeVisible();

  // The vCluster's StatefulSet becomes ready.
  const ns = `tenant-${tenant}`;
  const labels = { app: "vcluster", release: "vcluster" };
  await ok("tenant namespace", kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name: ns } } }));
  await ok(
    "statefulset",
    kube(env, `/apis/apps/v1/namespaces/${ns}/statefulsets`, {
      method: "POST",
      body: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "vcluster", namespace: ns, labels },
        spec: {
          replicas: 1,
          serviceName: "vcluster-headless",
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: "syncer", image: "ghcr.io/loft-sh/vcluster:0.26.0" }] },
          },
        },
      },
    }),
  );
  // kube-scheduler puts its Pod on the placement's kwok Node, kwok runs it, the controller counts it.
  await expect
    .poll(
      async () => (await kube(env, `/apis/apps/v1/namespaces/${ns}/statefulsets/vcluster`)).json?.status?.readyReplicas,
      {
        timeout: 30_000,
      },
    )
    .toBe(1);
  await ok("app healthy", kube(env, app, { ...merge, body: { status: { health: { status: "Healthy" } } } }));
  await expect(status.locator("[data-phase]")).toHaveAttribute("data-phase", "Ready", { timeout: 5_000 });
  await expect(page.getByTestId("access-panel")).toBeVisible();
  await expect(page.getByTestId("status-timeline")).toContainText("Provisioning");
  await expect(page.getByTestId("status-timeline")).toContainText("Ready");
});
