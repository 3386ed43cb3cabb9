// Submit → pull request open, p50/p95, through the real path (transactional outbox, pg-boss worker,
// provider), on the local repository and, when BERTH_TESTENV_FILE names a running test environment,
// on its Gitea; then 100 concurrent submissions: pull requests counted, lost and duplicated.
// Run: node_modules/.bin/tsx --import ./lib/entry/server-only-hook.ts bench/submit-to-pr.ts   (optionally BENCH_N=50)
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inArray } from "drizzle-orm";
import pgLib from "pg";
import { requests } from "@/db/schema";
import { recordSignIn } from "@/lib/teams/record-sign-in";
import { loadViewer } from "@/lib/auth/viewer";
import { resetConfigForTests, setRuntime } from "@/lib/config";
import { closeDb, getDb, getPool } from "@/lib/db";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { GiteaProvider } from "@/lib/gitops/gitea";
import { LocalGitOpsProvider } from "@/lib/gitops/local/provider";
import { ensureLocalRepository } from "@/lib/gitops/local/repository";
import type { GitOpsProvider } from "@/lib/gitops/types";
import { startQueue, stopQueue } from "@/lib/jobs/queue";
import { startWorkers } from "@/lib/entry/workers";
import type { ForgeContext } from "@/lib/requests/context";
import { submitCreateRequest } from "@/lib/requests/submit";
import { createTeam, mapTeamGroup } from "@/lib/teams/services";
import type { TestEnv } from "@/scripts/testenv/types";

Object.assign(process.env, {
  BERTH_PLACEMENTS_FILE: path.resolve("lib/templates/testdata/placements.yaml"),
  BERTH_QUOTA_TENANTS_PER_TEAM: "100000",
  BERTH_QUOTA_CPU_PER_TEAM: "1000000",
  BERTH_QUOTA_MEMORY_GIB_PER_TEAM: "1000000",
  BERTH_LOG_LEVEL: "warn",
});
resetConfigForTests();
const N = Number(process.env.BENCH_N ?? 50);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const pg = await startEmbeddedPostgres({ dataDir: path.resolve(".data/bench"), port: 54359, database: "postgres" });
const admin = new pgLib.Pool({ connectionString: pg.url });
await admin.query("DROP DATABASE IF EXISTS berth_bench WITH (FORCE)");
await admin.query("CREATE DATABASE berth_bench");
await admin.end();
const url = pg.url.replace(/\/postgres$/, "/berth_bench");
setRuntime({ databaseUrl: url, authSecret: "bench-secret-bench-secret-bench-secret" });
await migrateDatabase({ pool: getPool() });
const actor = { id: null, label: "bench", clientIp: null };
await createTeam({ db: getDb(), actor, input: { slug: "bench", displayName: "Bench", description: "" } });
await mapTeamGroup({ db: getDb(), actor, teamSlug: "bench", groupId: "berth-bench", role: "member" });
const viewer = (await loadViewer(
  getDb(),
  await recordSignIn({
    db: getDb(),
    identity: { subject: "bench:dev", name: "dev", email: "dev@bench", groups: ["berth-bench"] },
    adminGroup: "berth-platform-admins",
    clientIp: null,
  }),
))!;

let current: ForgeContext;
await startWorkers(await startQueue(url), () => current);

let seq = 0;
// One poller for all waiting submissions, so the benchmark's own reads do not starve the pool.
const waiting = new Map<string, { t0: number; done: (ms: number) => void; fail: (e: Error) => void }>();
setInterval(async () => {
  if (waiting.size === 0) return;
  const rows = await getDb()
    .select({ id: requests.id, state: requests.state })
    .from(requests)
    .where(inArray(requests.id, [...waiting.keys()]));
  const now = performance.now();
  for (const r of rows) {
    const w = waiting.get(r.id);
    if (!w) continue;
    if (r.state === "pr_open") w.done(now - w.t0);
    else if (r.state === "failed") w.fail(new Error(`request ${r.id} failed`));
    else continue;
    waiting.delete(r.id);
  }
}, 10).unref();

async function submitAndWait(): Promise<{ ms: number; id: string }> {
  const t0 = performance.now();
  const { requestId } = await submitCreateRequest({
    db: getDb(),
    viewer,
    actor,
    form: {
      template: "shared-vcluster",
      team: "bench",
      tenantName: `b${Date.now().toString(36)}-${seq++}`,
      placement: "shared-east/team-pool",
      fields: {},
    },
  });
  const ms = await new Promise<number>((done, fail) => waiting.set(requestId, { t0, done, fail }));
  return { ms, id: requestId };
}

async function measure(
  label: string,
  provider: GitOpsProvider,
  countPrs: (ids: string[]) => Promise<{ prs: number; dupes: number }>,
) {
  current = { db: getDb(), provider, baseUrl: "http://bench" };
  for (let i = 0; i < 3; i++) await submitAndWait(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < N; i++) times.push((await submitAndWait()).ms);
  console.log(
    `${label}: submit → PR open  n=${N}  p50 ${pct(times, 50).toFixed(0)} ms  p95 ` +
      `${pct(times, 95).toFixed(0)} ms  max ${Math.max(...times).toFixed(0)} ms`,
  );
  const t0 = performance.now();
  const done = await Promise.allSettled(Array.from({ length: 100 }, () => submitAndWait()));
  const ok = done
    .filter((d): d is PromiseFulfilledResult<{ ms: number; id: string }> => d.status === "fulfilled")
    .map((d) => d.value);
  const ids = ok.map((o) => o.id);
  const open = await getDb()
    .select({ id: requests.id })
    .from(requests)
    .where(inArray(requests.id, ids.length ? ids : ["00000000-0000-0000-0000-000000000000"]));
  const { prs, dupes } = await countPrs(ids);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const p95 = pct(
    ok.map((o) => o.ms),
    95,
  ).toFixed(0);
  console.log(
    `${label}: 100 concurrent submissions in ${seconds} s: ${ok.length} accepted, ${prs} pull requests, ` +
      `lost ${100 - open.length}, duplicated ${dupes}, p95 ${p95} ms`,
  );
}

const branchesOf = async (ids: string[]) => new Set(ids.map((id) => `berth/request-${id}`));
const dir = await mkdtemp(path.join(os.tmpdir(), "berth-bench-"));
await ensureLocalRepository(path.join(dir, "gitops.git"));
await measure(
  "local repository",
  new LocalGitOpsProvider({ repositoryPath: path.join(dir, "gitops.git"), db: getDb(), baseUrl: "http://bench" }),
  async (ids) => {
    const want = await branchesOf(ids);
    const rows = (
      await getPool().query<{ head_branch: string }>("SELECT head_branch FROM local_pull_requests")
    ).rows.filter((r) => want.has(r.head_branch));
    return { prs: rows.length, dupes: rows.length - new Set(rows.map((r) => r.head_branch)).size };
  },
);

if (process.env.BERTH_TESTENV_FILE) {
  const g = (JSON.parse(await readFile(process.env.BERTH_TESTENV_FILE, "utf8")) as TestEnv).gitea;
  const [owner = "", repo = ""] = g.repo.split("/");
  await measure(
    "Gitea",
    new GiteaProvider({ url: g.url, token: g.token, owner, repo, baseBranch: g.defaultBranch }),
    async (ids) => {
      const want = await branchesOf(ids);
      const heads: string[] = [];
      for (let page = 1; ; page++) {
        const list = (await (
          await fetch(`${g.apiUrl}/repos/${g.repo}/pulls?state=all&limit=50&page=${page}`, {
            headers: { authorization: `token ${g.token}` },
          })
        ).json()) as { head: { ref: string } }[];
        heads.push(...list.map((p) => p.head.ref).filter((h) => want.has(h)));
        if (list.length < 50) break;
      }
      return { prs: heads.length, dupes: heads.length - new Set(heads).size };
    },
  );
} else {
  console.log("Gitea: skipped (start the test environment and set BERTH_TESTENV_FILE to measure it)");
}

await stopQueue();
await closeDb();
await pg.stop();
await rm(dir, { recursive: true, force: true });
