// Merge → tenant Synced on the test environment's real Argo CD, through bootstrap/'s ApplicationSet:
// with Berth's refresh after the merge (lib/cluster/refresh-tenant.ts) vs Argo CD's default polling.
//   node_modules/.bin/tsx --import ./lib/entry/server-only-hook.ts scripts/testenv/cli.ts start
//   BERTH_TESTENV_FILE=.data/testenv/env.json node_modules/.bin/tsx --import ./lib/entry/server-only-hook.ts bench/argocd-freshness.ts
// Options (env): BENCH_TENANTS (20, with Berth's refresh), BENCH_POLL_SAMPLES (2, without: minutes
// each, run after the refresh phase so no refresh of ours wakes them), BENCH_POLL_TIMEOUT_S (480).
// Expects bootstrap/ applied (tests/testenv/journey-*.test.ts apply it); applies it otherwise.
import crypto from "node:crypto";
import fs from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { refreshTenant } from "@/lib/cluster/refresh-tenant";
import { kube, type TestEnv } from "@/tests/testenv/env";
import { commit } from "@/tests/testenv/gitops";
import { applyBootstrap } from "@/tests/testenv/support/bootstrap";

const env = JSON.parse(fs.readFileSync(process.env.BERTH_TESTENV_FILE ?? ".data/testenv/env.json", "utf8")) as TestEnv;
const ARGOCD = env.argocd.namespace;
const get = (p: string) => kube<Record<string, unknown>>(env, p);
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(env.kubernetes.kubeconfig);

async function syncedTo(t: string, sha: string): Promise<boolean> {
  const a = await get(`/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD}/applications/tenant-${t}`);
  const s = a.json?.status as { sync?: { status?: string; revision?: string } } | undefined;
  return a.status === 200 && s?.sync?.status === "Synced" && s.sync.revision === sha;
}

const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
const POLL = Number(process.env.BENCH_POLL_SAMPLES ?? 2);
const POLL_TIMEOUT_MS = Number(process.env.BENCH_POLL_TIMEOUT_S ?? 480) * 1000;
const TEAM = "bench";
const run = crypto.randomBytes(2).toString("hex");

/** A minimal tenant folder as Berth writes it: its record, its part of the team project, one object. */
const tenantFiles = (t: string): Record<string, string> => ({
  [`tenants/${t}/tenant.yaml`]: stringify({
    apiVersion: "berth.io/v1",
    kind: "Tenant",
    metadata: { name: t, labels: { "berth.io/tenant": t, "berth.io/team": TEAM } },
    spec: { team: TEAM, kind: "bench", template: "bench@1.0.0" },
  }),
  [`tenants/${t}/argocd-project.yaml`]: stringify({ tenants: { [t]: { team: TEAM } } }),
  [`tenants/${t}/config.yaml`]: stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: t, namespace: `berth-apps-${TEAM}`, labels: { "berth.io/tenant": t } },
    data: { tenant: t },
  }),
});

async function ensureBootstrap(): Promise<void> {
  if ((await get(`/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD}/applicationsets/berth-tenants`)).status === 200)
    return;
  await applyBootstrap(env);
}

async function untilSynced(t: string, sha: string, timeoutMs: number, refresh: boolean): Promise<number | null> {
  const start = performance.now();
  // Once, as Berth does after a merge (lib/cluster/start.ts refresh).
  if (refresh) await refreshTenant({ kubeConfig, argocdNamespace: ARGOCD, labelDomain: "berth.io", tenant: t });
  while (performance.now() - start < timeoutMs) {
    if (await syncedTo(t, sha)) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main(): Promise<void> {
  await ensureBootstrap();
  // The team's project first (the first tenant of a team also waits for it: not what is measured).
  const warm = `fw-${run}`;
  await untilSynced(warm, await commit(env, { message: warm, write: tenantFiles(warm) }), 120_000, true);

  const refreshed: number[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const t = `fr-${run}-${i}`;
    const sha = await commit(env, { message: `merge ${t}`, write: tenantFiles(t) });
    const ms = await untilSynced(t, sha, 120_000, true);
    if (ms === null) throw new Error(`${t} not Synced within 120 s with Berth's refresh`);
    refreshed.push(ms);
  }
  console.log(
    `Berth's refresh: merge → tenant Synced (n=${TENANTS}): p50 ${(pct(refreshed, 50) / 1000).toFixed(2)} s, p95 ${(pct(refreshed, 95) / 1000).toFixed(2)} s, max ${(Math.max(...refreshed) / 1000).toFixed(2)} s`,
  );

  const polled: number[] = [];
  let missed = 0;
  for (let i = 0; i < POLL; i++) {
    const t = `fp-${run}-${i}`;
    const sha = await commit(env, { message: `merge ${t}`, write: tenantFiles(t) });
    const ms = await untilSynced(t, sha, POLL_TIMEOUT_MS, false);
    if (ms === null) missed++;
    else polled.push(ms);
    console.log(
      `Argo CD default polling, sample ${i + 1}: ${ms === null ? `not Synced within ${POLL_TIMEOUT_MS / 1000} s` : `${(ms / 1000).toFixed(1)} s`}`,
    );
  }
  if (polled.length) {
    const median = pct(polled, 50);
    console.log(
      `Argo CD default polling (n=${polled.length}${missed ? `, ${missed} timed out` : ""}): median ${(median / 1000).toFixed(1)} s; ratio to Berth's p95: ${(median / pct(refreshed, 95)).toFixed(0)}×`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
