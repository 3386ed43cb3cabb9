// Shared setup of the journeys (not a test file itself): Gitea as Berth's forge, bootstrap/ applied
// to the environment's Argo CD as a platform team would, Berth's status reader, and the steps Berth
// takes after a merge. Placements: Berth's built-in in-cluster host (the ApplicationSet deploys to
// the management cluster) plus the template tests' Tanzu and AKS targets.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { requests, tenants } from "@/db/schema";
import { DEFAULT_PLACEMENTS } from "@/lib/config/placements";
import { getDb } from "@/lib/db";
import { GiteaProvider } from "@/lib/gitops/gitea";
import { refreshTenant } from "@/lib/cluster/refresh-tenant";
import { startStatusReader, type StatusReader } from "@/lib/cluster/reader";
import { quietLog, testKubeConfig } from "@/lib/cluster/live-test-support";
import type { ForgeContext } from "@/lib/requests/context";
import { approveRequest } from "@/lib/requests/decisions";
import { actorOf, runJob } from "@/lib/requests/test-support";
import type { Viewer } from "@/lib/auth/viewer";
import { startQueue, stopQueue } from "@/lib/jobs/queue";
import { setTestConfig } from "@/tests/support/config";
import { kube, loadTestEnv } from "../env";
import { applyBootstrap, serverSideApply as applyObject } from "./bootstrap";
import type { K8sObject } from "./dry-run";

export const env = loadTestEnv();
export const ARGOCD = env.argocd.namespace;
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

const [owner = "", repo = ""] = env.gitea.repo.split("/");
const provider = new GiteaProvider({
  url: env.gitea.url,
  token: env.gitea.token,
  owner,
  repo,
  baseBranch: env.gitea.defaultBranch,
  mergeRetry: { attempts: 40, delayMs: 500 },
});
export const ctx: ForgeContext = { db: getDb(), provider, baseUrl: "http://berth.test" };
export const kubeConfig = testKubeConfig();

/** `kubectl apply --server-side` of one object (the platform team applying bootstrap/). */
export const serverSideApply = (o: K8sObject) => applyObject(env, o);

export const get = (p: string) => kube<Record<string, unknown>>(env, p);
export const exists = async (p: string) => ((await get(p)).status === 200 ? true : undefined);
export const tenantIdOf = async (tenant: string) =>
  (await getDb().select({ id: tenants.id }).from(tenants).where(eq(tenants.name, tenant)))[0]!.id;
const mergeCommitOf = async (requestId: string) =>
  (await getDb().select({ sha: requests.mergeCommitSha }).from(requests).where(eq(requests.id, requestId)))[0]!.sha!;

/** Starts the queue, applies bootstrap/ and runs the status reader for the file's tests. */
export function setupJourney(): { reader: () => StatusReader } {
  let reader: StatusReader | undefined;
  beforeAll(async () => {
    await startQueue(inject("databaseUrl"));
    await applyBootstrap(env);
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
  return { reader: () => reader! };
}

/** After submit: the PR in Gitea, approval (merge), then what Berth does after a merge. Returns the merge commit. */
export async function approveAndRefresh(o: {
  requestId: string;
  tenant: string;
  approver: Viewer;
  reader: StatusReader;
}): Promise<string> {
  await runJob(ctx, o.requestId);
  await approveRequest(ctx, { requestId: o.requestId, viewer: o.approver, actor: actorOf(o.approver) });
  const sha = await mergeCommitOf(o.requestId);
  expect(sha).toMatch(/^[0-9a-f]{40}$/);
  await refreshTenant({ kubeConfig, argocdNamespace: ARGOCD, labelDomain: "berth.io", tenant: o.tenant });
  o.reader.touch(o.tenant);
  return sha;
}

/** The tenant's Application, once Argo CD has synced it to the given commit. */
export async function syncedTo(tenant: string, sha: string): Promise<Record<string, unknown> | undefined> {
  const a = await get(`/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD}/applications/tenant-${tenant}`);
  const s = a.json?.status as { sync?: { status?: string; revision?: string } } | undefined;
  return a.status === 200 && s?.sync?.status === "Synced" && s.sync.revision === sha ? a.json : undefined;
}
