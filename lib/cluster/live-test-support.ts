// Shared setup of the status reader's live tests (not a test file itself): rows seeded straight
// into PostgreSQL as Berth would have them after a merge. What the cluster does is real: Argo CD,
// the controllers and kwok of the test environment (live-cluster-support.ts drives them).
import crypto from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { sql } from "drizzle-orm";
import pino from "pino";
import { getDb } from "@/lib/db";
import type { Observation } from "./derive";
import { eventually, kube, loadTestEnv, type TestEnv } from "@/tests/testenv/env";

export const env: TestEnv = loadTestEnv();
export const quietLog = pino({ level: process.env.BERTH_TEST_LOG ?? "silent" });
export const hex = (n = 3) => crypto.randomBytes(n).toString("hex");
export const sha = () => crypto.randomBytes(20).toString("hex");

export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubernetes.kubeconfig);
  return kc;
}

export async function ensureNamespace(name: string): Promise<void> {
  const r = await kube(env, "/api/v1/namespaces", { method: "POST", body: { metadata: { name } } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: ${r.text}`);
}

export { seedTenant } from "./tenant-seed";

/** Berth records the merge commit when the pull request merges (here: a commit made by the test). */
export async function setMergeCommit(requestId: string, mergeCommitSha: string): Promise<void> {
  await getDb().execute(sql`UPDATE requests SET merge_commit_sha = ${mergeCommitSha} WHERE id = ${requestId}`);
}

export type StatusRow = {
  phase: string;
  message: string | null;
  synced_to_change: boolean;
  revision: string | null;
  sync_status: string | null;
  observed_at: Date;
  sources: Observation;
};

export async function statusOf(tenantId: string): Promise<StatusRow | undefined> {
  const r = await getDb().execute<StatusRow>(
    sql`SELECT phase, message, synced_to_change, revision, sync_status, observed_at, sources
        FROM tenant_status WHERE tenant_id = ${tenantId}`,
  );
  const row = r.rows[0];
  // Raw queries return timestamps as text.
  return row && { ...row, observed_at: new Date(row.observed_at) };
}

export async function historyOf(tenantId: string): Promise<{ phase: string; message: string | null; at: Date }[]> {
  const r = await getDb().execute<{ phase: string; message: string | null; at: Date }>(
    sql`SELECT phase, message, at FROM tenant_status_history WHERE tenant_id = ${tenantId} ORDER BY id`,
  );
  return r.rows.map((h) => ({ ...h, at: new Date(h.at) }));
}

/** Waits until the persisted status matches; the error names the last status seen. */
export async function waitForStatus(
  tenantId: string,
  want: Partial<StatusRow>,
  timeoutMs = 15_000,
): Promise<StatusRow> {
  let last: StatusRow | undefined;
  try {
    return await eventually(
      `status ${JSON.stringify(want)}`,
      async () => {
        last = await statusOf(tenantId);
        return last && Object.entries(want).every(([k, v]) => (last as Record<string, unknown>)[k] === v)
          ? last
          : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last && { ...last, sources: undefined })}`);
  }
}
