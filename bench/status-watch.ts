// Benchmark of the status reader against the real test kube-apiserver:
//   node_modules/.bin/tsx scripts/testenv/cli.ts start   # once, prints the env file
//   BERTH_TESTENV_FILE=.data/testenv/env.json NODE_OPTIONS=--expose-gc node_modules/.bin/tsx \
//     --import ./lib/entry/server-only-hook.ts bench/status-watch.ts
// Options (env): BENCH_N (10000), BENCH_CONCURRENCY (20), BENCH_DATABASE_URL (else an embedded
// PostgreSQL under .data/bench-pg on port 54359, migrated and seeded here).
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import pino from "pino";
import * as schema from "@/db/schema";
import { createPool } from "@/lib/db";
import { startStatusReader } from "@/lib/cluster/reader";
import { STATUS_CHANNEL } from "@/lib/db/channels";
import type { TestEnv } from "@/scripts/testenv/types";

const N = Number(process.env.BENCH_N ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const env = JSON.parse(fs.readFileSync(process.env.BERTH_TESTENV_FILE ?? ".data/testenv/env.json", "utf8")) as TestEnv;
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: CONCURRENCY,
  ca: env.kubernetes.ca,
  cert: env.kubernetes.cert,
  key: env.kubernetes.key,
});
const SHA = crypto.randomBytes(20).toString("hex");
const ns = `bench-${crypto.randomBytes(3).toString("hex")}`;
const APPS = `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const log = (msg: string) => console.log(`[bench] ${msg}`);

function kube(method: string, p: string, body?: unknown, contentType = "application/json"): Promise<number> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      env.kubernetes.server + p,
      {
        method,
        agent,
        headers: { "content-type": contentType, ...(payload ? { "content-length": Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          (res.statusCode ?? 0) < 300
            ? resolve(res.statusCode!)
            : reject(new Error(`${method} ${p}: ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function pool<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<number> {
  const t = Date.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
  return Date.now() - t;
}

const names = Array.from({ length: N }, (_, i) => `b-${i}`);
// Argo CD's Application CRD has no status subresource: the controller writes status through the
// resource itself, and so does this benchmark (in a namespace no application-controller watches).
// Roughly what Argo CD keeps in an Application's status: sync, health, operation and a resource list.
const status = (health: string) => ({
  sync: { status: "Synced", revision: SHA },
  health: { status: health, ...(health === "Degraded" ? { message: "Back-off restarting failed container" } : {}) },
  operationState: { phase: "Succeeded", message: "successfully synced (all tasks run)" },
  resources: [
    "Namespace",
    "ResourceQuota",
    "LimitRange",
    "NetworkPolicy",
    "RoleBinding",
    "Application",
    "Certificate",
    "Policy",
  ].map((kind) => ({ kind, name: "x", namespace: "tenant-x", status: "Synced", health: { status: "Healthy" } })),
});

type ReaderReport = {
  objects: number;
  connected: boolean;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
};

/** The reader runs in a child process of its own, so its RSS is not the load generator's. */
async function readerChild(nsArg: string, url: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubernetes.kubeconfig);
  const db = drizzle(createPool(url, 10), { schema });
  gc();
  const baseline = process.memoryUsage().rss; // every module loaded, nothing watched yet
  const reader = startStatusReader({
    kubeConfig: kc,
    db,
    argocdNamespace: nsArg,
    labelDomain: "berth.io",
    log: pino({ level: "warn" }),
    holder: "bench",
  });
  process.on("message", async (m) => {
    if (m === "stop") {
      await reader.stop();
      process.exit(0);
    }
    if (m === "gc") gc();
    const h = reader.health();
    const mem = process.memoryUsage();
    process.send!({
      objects: h.objects,
      connected: h.connected,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
    } satisfies ReaderReport);
  });
  process.send!({ baseline });
}

function ask(child: ChildProcess, what = "health"): Promise<ReaderReport> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as ReaderReport));
    child.send(what);
  });
}

async function main() {
  // Imported here so the reader child (same bundle) does not load them.
  const { startEmbeddedPostgres } = await import("@/lib/db/embedded");
  const { migrateDatabase } = await import("@/lib/db/migrate");
  const embedded = process.env.BENCH_DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.resolve(".data/bench-pg"), port: 54359, database: "postgres" });
  const url = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const dbPool = createPool(url, 10);
  await migrateDatabase({ pool: dbPool });
  await dbPool.query(
    "TRUNCATE tenant_status_history, tenant_status, request_transitions, requests, tenants, teams, users, status_reader CASCADE",
  );
  const {
    rows: [u],
  } = await dbPool.query("INSERT INTO users (subject, name) VALUES ('bench', 'bench') RETURNING id");
  const {
    rows: [t],
  } = await dbPool.query("INSERT INTO teams (slug, display_name) VALUES ('bench', 'bench') RETURNING id");
  await dbPool.query(
    `INSERT INTO tenants
      (name, team_id, owner_id, kind, template_name, template_version, parameters, placement, lifecycle)
    SELECT 'b-' || i, $1, $2, 'shared-vcluster', 'shared-vcluster', '1.0.0', '{}', 'shared-east', 'active'
    FROM generate_series(0, $3 - 1) i`,
    [t.id, u.id, N],
  );
  await dbPool.query(
    `INSERT INTO requests (tenant_id, action, state, requested_by, template_name, template_version, parameters,
      placement, changes, branch, pr_number, merge_commit_sha)
    SELECT id, 'create', 'merged', $1, 'shared-vcluster', '1.0.0', '{}', 'shared-east', '{}', 'bench/' || name, 1, $2
    FROM tenants`,
    [u.id, SHA],
  );
  log(`seeded ${N} tenants`);

  await kube("POST", "/api/v1/namespaces", { metadata: { name: ns } });
  const created = await pool(names, async (name) => {
    await kube("POST", APPS, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        name: `tenant-${name}`,
        namespace: ns,
        labels: {
          "berth.io/tenant": name,
          "berth.io/team": "bench",
          "berth.io/request": crypto.randomUUID(),
          "app.kubernetes.io/managed-by": "berth",
        },
      },
      spec: {
        project: "berth-tenants",
        source: { repoURL: env.gitea.cloneUrl, path: `tenants/${name}`, targetRevision: "main" },
        destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    await kube("PATCH", `${APPS}/tenant-${name}`, { status: status("Healthy") }, "application/merge-patch+json");
  });
  log(
    `created ${N} Applications with status in ${(created / 1000).toFixed(1)} s ` +
      `(${Math.round((2 * N) / (created / 1000))} requests/s at concurrency ${CONCURRENCY})`,
  );

  const t0 = Date.now();
  // Plain node on a bundle, as in production: under tsx the same process starts at ~340 MB RSS
  // (the loader's transformed sources), which would swamp what the reader itself holds.
  const bundle = path.resolve(".data/bench-reader.mjs");
  execFileSync("node_modules/.bin/esbuild", [
    process.argv[1]!,
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--packages=external",
    // Plain node has no react-server condition: bundle the server-only marker's empty entry.
    "--alias:server-only=./node_modules/server-only/empty.js",
    `--outfile=${bundle}`,
    "--log-level=warning",
  ]);
  // NODE_OPTIONS cleared: tsx passes its loader on to child processes through it.
  const reader = fork(bundle, ["reader", ns, url], {
    execArgv: ["--expose-gc", ...(process.env.BENCH_READER_NODE_OPTIONS ?? "").split(" ").filter(Boolean)],
    stdio: "inherit",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  const { baseline } = await new Promise<{ baseline: number }>((r) =>
    reader.once("message", (m) => r(m as { baseline: number })),
  );
  const idle = await ask(reader);
  const count = async (phase: string) =>
    Number((await dbPool.query("SELECT count(*) FROM tenant_status WHERE phase = $1", [phase])).rows[0].count);
  let h = idle;
  while (h.objects < N) {
    await new Promise((r) => setTimeout(r, 20));
    h = await ask(reader);
  }
  const listed = Date.now() - t0;
  const rssListed = h.rss;
  let peak = h.rss;
  while ((await count("Provisioning")) < N) {
    peak = Math.max(peak, (await ask(reader)).rss);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ingested = Date.now() - t0;
  const after = await ask(reader, "gc");
  log(
    `initial list of ${N} Applications: ${listed} ms after start; all ${N} statuses persisted after ` +
      `${ingested} ms (${Math.round(N / (ingested / 1000))} tenants/s)`,
  );
  log(
    `reader process RSS: ${mb(baseline)} with all modules loaded before watching, ${mb(rssListed)} ` +
      `right after the initial list, peak ${mb(peak)} during ingest, ${mb(after.rss)} after GC (V8 heap ` +
      `used ${mb(after.heapUsed)} of ${mb(after.heapTotal)}, external ${mb(after.external)})`,
  );

  // Bulk status changes: every Application goes Degraded.
  const t1 = Date.now();
  const patched = await pool(names, (name) =>
    kube("PATCH", `${APPS}/tenant-${name}`, { status: status("Degraded") }, "application/merge-patch+json"),
  );
  while ((await count("Degraded")) < N) await new Promise((r) => setTimeout(r, 50));
  const bulk = Date.now() - t1;
  log(
    `bulk: ${N} status patches sent in ${patched} ms (${Math.round(N / (patched / 1000))}/s); all ` +
      `persisted after ${bulk} ms → ${Math.round(N / (bulk / 1000))} status updates ingested/s`,
  );
  log(`reader RSS after the bulk update: ${mb((await ask(reader)).rss)}`);

  // Latency: a status change in the cluster → pg_notify received, one at a time.
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  await listener.query(`LISTEN ${STATUS_CHANNEL}`);
  const waiting = new Map<string, () => void>();
  listener.on("notification", (n) => waiting.get(n.payload ?? "")?.());
  const latencies: number[] = [];
  for (const name of names.slice(0, 100)) {
    const got = new Promise<void>((r) => waiting.set(name, r));
    const t = performance.now();
    await kube(
      "PATCH",
      `${APPS}/tenant-${name}`,
      { status: { health: { status: "Healthy", message: null } } },
      "application/merge-patch+json",
    );
    await got;
    latencies.push(performance.now() - t);
    waiting.delete(name);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  log(
    `status change → pg_notify over 100 patches: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ` +
      `${latencies.at(-1)!.toFixed(1)} ms (reader debounce 50 ms included)`,
  );
  const final = await ask(reader);
  log(`final reader: ${final.objects} objects, connected ${final.connected}, RSS ${mb(final.rss)}`);

  reader.send("stop");
  await new Promise((r) => reader.once("exit", r));
  await listener.end();
  await kube("DELETE", APPS).catch(() => undefined);
  await dbPool.end();
  await embedded?.stop();
  agent.destroy();
}

(process.argv[2] === "reader" ? readerChild(process.argv[3]!, process.argv[4]!) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
