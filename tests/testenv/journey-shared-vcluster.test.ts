// A shared-vcluster tenant's whole life on the real components: Gitea as the forge, Berth's own
// services (submit, approve, refresh, status reader, decommission), Argo CD v3.6.1 with bootstrap/
// applied as a platform team would. Nothing writes an Application's status but Argo CD; the
// vCluster and argo-cd charts cannot be fetched here, so their Applications end in Argo CD's real
// fetch error, which Berth must show as the blocker.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { requests, tenants } from "@/db/schema";
import { getDb } from "@/lib/db";
import { bootstrapObjects } from "@/lib/gitops/bootstrap-manifests";
import { GiteaProvider } from "@/lib/gitops/gitea";
import { TEAM_PROJECTS_CHART } from "@/lib/gitops/team-projects-chart";
import { refreshTenant } from "@/lib/cluster/refresh-tenant";
import { startStatusReader, type StatusReader } from "@/lib/cluster/reader";
import { hex, quietLog, statusOf, testKubeConfig, waitForStatus } from "@/lib/cluster/live-test-support";
import { submitDecommissionRequest, submitUpdateRequest } from "@/lib/requests/change";
import type { ForgeContext } from "@/lib/requests/context";
import { approveRequest } from "@/lib/requests/decisions";
import { submitCreateRequest } from "@/lib/requests/submit";
import { actorOf, runJob, seedPeople, vclusterForm } from "@/lib/requests/test-support";
import { startQueue, stopQueue } from "@/lib/jobs/queue";
import { DEFAULT_PLACEMENTS } from "@/lib/config/placements";
import { setTestConfig } from "@/tests/support/config";
import { eventually, kube, loadTestEnv } from "./env";
import { commit } from "./gitops";
import { resourceFor, type K8sObject } from "./support/dry-run";

const env = loadTestEnv();
// The tenant's Application deploys to the management cluster (the ApplicationSet's destination), so
// its host is Berth's built-in in-cluster placement (kwok node in-cluster-shared), next to the
// template tests' placements.
const placementsFile = path.join(mkdtempSync(path.join(os.tmpdir(), "journey-")), "placements.yaml");
writeFileSync(
  placementsFile,
  stringify({
    placements: [
      ...DEFAULT_PLACEMENTS,
      ...parse(readFileSync("lib/templates/testdata/placements.yaml", "utf8")).placements,
    ],
  }),
);
setTestConfig({ BERTH_PLACEMENTS_FILE: placementsFile });
const ARGOCD = env.argocd.namespace;
const [owner = "", repo = ""] = env.gitea.repo.split("/");
const provider = new GiteaProvider({
  url: env.gitea.url,
  token: env.gitea.token,
  owner,
  repo,
  baseBranch: env.gitea.defaultBranch,
  mergeRetry: { attempts: 40, delayMs: 500 },
});
const ctx: ForgeContext = { db: getDb(), provider, baseUrl: "http://berth.test" };
const kubeConfig = testKubeConfig();
const tenant = `jv-${hex()}`;
const ns = `tenant-${tenant}`;
// Checkboxes as the form sends them: the Argo CD core instance and the Kyverno baseline on.
const options = { "param.argocd": "on", "param.kyvernoBaseline": "on" };
let reader: StatusReader;
let people: Awaited<ReturnType<typeof seedPeople>>;

/** `kubectl apply --server-side` of one object, as the platform team applies bootstrap/. */
async function serverSideApply(o: K8sObject): Promise<void> {
  const res = await resourceFor(env, o.apiVersion, o.kind);
  if (!res) throw new Error(`${o.apiVersion} ${o.kind} is not served`);
  const base = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const where = res.namespaced ? `/namespaces/${o.metadata.namespace}` : "";
  const r = await kube(env, `${base}${where}/${res.name}/${o.metadata.name}?fieldManager=platform-team&force=true`, {
    method: "PATCH",
    body: o,
    contentType: "application/apply-patch+yaml",
  });
  if (r.status !== 200 && r.status !== 201) throw new Error(`apply ${o.kind}/${o.metadata.name}: ${r.text}`);
}

const get = (path: string) => kube<Record<string, unknown>>(env, path);
const exists = async (path: string) => ((await get(path)).status === 200 ? true : undefined);
const tenantId = async () =>
  (await getDb().select({ id: tenants.id }).from(tenants).where(eq(tenants.name, tenant)))[0]!.id;
const mergeCommitOf = async (requestId: string) =>
  (await getDb().select({ sha: requests.mergeCommitSha }).from(requests).where(eq(requests.id, requestId)))[0]!.sha!;

/** Submit is done: PR in Gitea, approve (merge), then what Berth does after a merge. */
async function approveAndRefresh(requestId: string): Promise<string> {
  await runJob(ctx, requestId);
  await approveRequest(ctx, { requestId, viewer: people.admin, actor: actorOf(people.admin) });
  const sha = await mergeCommitOf(requestId);
  expect(sha).toMatch(/^[0-9a-f]{40}$/);
  await refreshTenant({ kubeConfig, argocdNamespace: ARGOCD, labelDomain: "berth.io", tenant });
  reader.touch(tenant);
  return sha;
}

beforeAll(async () => {
  await startQueue(inject("databaseUrl"));
  // The platform team: bootstrap/ into the GitOps repository, then applied once (not recursive).
  const objects = bootstrapObjects({
    repoURL: env.gitea.cloneUrl,
    revision: env.gitea.defaultBranch,
    labelDomain: "berth.io",
    argocdNamespace: ARGOCD,
  });
  const yaml = (docs: unknown[]) => docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n");
  await commit(env, {
    message: "bootstrap/",
    write: {
      ...Object.fromEntries(Object.entries(objects).map(([p, docs]) => [p, yaml(docs)])),
      ...Object.fromEntries(Object.entries(TEAM_PROJECTS_CHART).map(([f, c]) => [`bootstrap/team-projects/${f}`, c])),
    },
  });
  for (const o of Object.values(objects).flat() as K8sObject[]) await serverSideApply(o);
  reader = startStatusReader({
    kubeConfig,
    db: getDb(),
    argocdNamespace: ARGOCD,
    labelDomain: "berth.io",
    log: quietLog,
  });
}, 120_000);

afterAll(async () => {
  await reader?.stop();
  await stopQueue();
});

describe("shared-vcluster journey on real Argo CD", () => {
  it("submit → PR → merge → refresh → synced to the merge commit, objects exist, chart fetch error is the blocker → size change → new quota → decommission → pruned → Deleted", async () => {
    people = await seedPeople();
    const { requestId } = await submitCreateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      form: { ...vclusterForm(tenant, options), placement: "in-cluster/shared" },
    });
    const sha = await approveAndRefresh(requestId);
    const app = await eventually(
      "tenant Application synced to the merge commit",
      async () => {
        const a = await get(`/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD}/applications/tenant-${tenant}`);
        const s = a.json?.status as { sync?: { status?: string; revision?: string } } | undefined;
        return a.status === 200 && s?.sync?.status === "Synced" && s.sync.revision === sha ? a.json : undefined;
      },
      60_000,
    );
    expect(app).toBeDefined();
    for (const path of [
      `/api/v1/namespaces/${ns}`,
      `/api/v1/namespaces/${ns}/resourcequotas/tenant-quota`,
      `/api/v1/namespaces/${ns}/limitranges/tenant-defaults`,
      `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/isolate-tenant`,
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/team-admin`,
      `/apis/policies.kyverno.io/v1/namespaces/${ns}/namespacedvalidatingpolicies/disallow-privileged`,
      `/apis/cert-manager.io/v1/namespaces/${ns}/certificates/${tenant}-tls`,
    ])
      await eventually(path, () => exists(path), 30_000);
    // The vCluster and argo-cd charts' Applications: Argo CD's own error fetching the chart (no internet here).
    const fetchErrors: string[] = [];
    for (const chart of ["vcluster", "argocd"]) {
      const c = await eventually(
        `the ${chart} Application's ComparisonError`,
        async () => {
          const a = await get(
            `/apis/argoproj.io/v1alpha1/namespaces/berth-apps-payments/applications/${tenant}-${chart}`,
          );
          const conditions = (a.json?.status as { conditions?: { type: string; message: string }[] })?.conditions;
          return conditions?.find((x) => x.type === "ComparisonError");
        },
        90_000,
      );
      expect(c.message).toContain("failed to fetch chart");
      fetchErrors.push(c.message);
    }
    // Berth shows one of them as the blocker, word for word, not "Syncing".
    const status = await waitForStatus(await tenantId(), { phase: "Degraded", synced_to_change: true }, 30_000);
    expect(fetchErrors).toContain(status.message);

    // Change of size → update PR → the new ResourceQuota is in the cluster.
    const quota = async () =>
      (await get(`/api/v1/namespaces/${ns}/resourcequotas/tenant-quota`)).json as {
        spec: { hard: Record<string, string> };
      };
    const before = (await quota()).spec.hard;
    const { requestId: updateId } = await submitUpdateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      tenantName: tenant,
      fields: { ...options, "param.size": "M" },
    });
    const update = await approveAndRefresh(updateId);
    const after = await eventually(
      "the new quota",
      async () => {
        const hard = (await quota()).spec.hard;
        return JSON.stringify(hard) !== JSON.stringify(before) ? hard : undefined;
      },
      60_000,
    );
    expect(after).not.toEqual(before);
    await waitForStatus(await tenantId(), { revision: update, synced_to_change: true }, 30_000);

    // Decommission (a team owner's right) → Argo CD prunes → namespace gone → Berth shows Deleted.
    const { requestId: decommissionId } = await submitDecommissionRequest({
      db: getDb(),
      viewer: people.owner,
      actor: actorOf(people.owner),
      tenantName: tenant,
      reason: "journey done",
    });
    await approveAndRefresh(decommissionId);
    await eventually(
      "the tenant namespace to be gone",
      async () => ((await get(`/api/v1/namespaces/${ns}`)).status === 404 ? true : undefined),
      120_000,
    );
    await waitForStatus(await tenantId(), { phase: "Deleted" }, 60_000);
    const rows = await getDb().execute(sql`SELECT 1 FROM tenants WHERE name = ${tenant}`);
    expect(rows.rows.length).toBe(1);
    expect((await statusOf(await tenantId()))?.phase).toBe("Deleted");
  }, 480_000);
});
