// Merge → Synced with the test environment's real Argo CD, with and without the refresh annotations:
//   node_modules/.bin/tsx scripts/testenv/cli.ts start   # once, prints the env file
//   BERTH_TESTENV_FILE=.data/testenv/env.json node_modules/.bin/tsx bench/argocd-sync.ts
// Options (env): BENCH_ROUNDS (3, with the annotation), BENCH_POLL_ROUNDS (1, without: minutes each).
import crypto from "node:crypto";
import fs from "node:fs";
import type { TestEnv } from "@/scripts/testenv/types";
import { kube } from "@/tests/testenv/env";
import {
  appSetsPath,
  appsPath,
  commit,
  getApplication,
  refreshApplication,
  refreshApplicationSet,
  waitForSyncedHealthy,
} from "@/tests/testenv/gitops";

const env = JSON.parse(fs.readFileSync(process.env.BERTH_TESTENV_FILE ?? ".data/testenv/env.json", "utf8")) as TestEnv;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POLL_ROUNDS = Number(process.env.BENCH_POLL_ROUNDS ?? 1);
const id = `bench-${crypto.randomBytes(3).toString("hex")}`;
const POLL_MS = 10 * 60_000;
const log = (msg: string) => console.log(`[bench] ${msg}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cm = (ns: string, round: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: round\n  namespace: ${ns}\ndata:\n  round: "${round}"\n`;
const nsYaml = (ns: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`;

async function ok(what: string, p: ReturnType<typeof kube>) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
}

async function applicationRounds() {
  const ns = `${id}-app`;
  await commit(env, {
    message: `${id}: app`,
    write: { [`${id}/app/ns.yaml`]: nsYaml(ns), [`${id}/app/cm.yaml`]: cm(ns, 0) },
  });
  await ok(
    "application",
    kube(env, appsPath(env), {
      method: "POST",
      body: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: `${id}-app`, namespace: env.argocd.namespace },
        spec: {
          project: env.argocd.project,
          source: { repoURL: env.argocd.repoURL, path: `${id}/app`, targetRevision: env.gitea.defaultBranch },
          destination: { server: env.argocd.destination },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    }),
  );
  await waitForSyncedHealthy(env, `${id}-app`);
  for (let round = 1; round <= ROUNDS + POLL_ROUNDS; round++) {
    const refresh = round <= ROUNDS;
    const sha = await commit(env, {
      message: `${id}: round ${round}`,
      write: { [`${id}/app/cm.yaml`]: cm(ns, round) },
    });
    const t = Date.now();
    if (refresh) await refreshApplication(env, `${id}-app`);
    await waitForSyncedHealthy(env, `${id}-app`, sha, refresh ? 60_000 : POLL_MS);
    log(
      `merge → Synced ${refresh ? "with argocd.argoproj.io/refresh=normal" : "by polling (no annotation)"}: ${secs(Date.now() - t)}`,
    );
  }
}

async function applicationSetRounds() {
  const name = `${id}-set`;
  await commit(env, { message: `${id}: set`, write: { [`${id}/set/t0/ns.yaml`]: nsYaml(`${id}-t0`) } });
  await ok(
    "applicationset",
    kube(env, appSetsPath(env), {
      method: "POST",
      body: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "ApplicationSet",
        metadata: {
          name,
          namespace: env.argocd.namespace,
          annotations: { [env.argocd.refreshAnnotations.applicationSet]: "true" },
        },
        spec: {
          goTemplate: true,
          generators: [
            {
              git: {
                repoURL: env.argocd.repoURL,
                revision: env.gitea.defaultBranch,
                directories: [{ path: `${id}/set/*` }],
              },
            },
          ],
          template: {
            // Deleting an Application deletes what it applied (the folder's namespace too).
            metadata: { name: `${id}-{{ .path.basename }}`, finalizers: ["resources-finalizer.argocd.argoproj.io"] },
            spec: {
              project: env.argocd.project,
              source: {
                repoURL: env.argocd.repoURL,
                targetRevision: env.gitea.defaultBranch,
                path: "{{ .path.path }}",
              },
              destination: { server: env.argocd.destination },
              syncPolicy: { automated: { prune: true, selfHeal: true } },
            },
          },
        },
      },
    }),
  );
  await waitForSyncedHealthy(env, `${id}-t0`);
  for (let round = 1; round <= ROUNDS + POLL_ROUNDS; round++) {
    const refresh = round <= ROUNDS;
    const t = `t${round}`;
    const sha = await commit(env, {
      message: `${id}: ${t}`,
      write: { [`${id}/set/${t}/ns.yaml`]: nsYaml(`${id}-${t}`) },
    });
    const start = Date.now();
    if (refresh) await refreshApplicationSet(env, name);
    const deadline = start + (refresh ? 60_000 : POLL_MS);
    while (!(await getApplication(env, `${id}-${t}`))) {
      if (Date.now() > deadline) throw new Error(`no Application for ${t}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const created = Date.now() - start;
    await waitForSyncedHealthy(env, `${id}-${t}`, sha, refresh ? 60_000 : POLL_MS);
    const how = refresh ? "with argocd.argoproj.io/application-set-refresh" : "by polling (no annotation)";
    log(`new folder → Application ${secs(created)}, Synced/Healthy ${secs(Date.now() - start)} ${how}`);
  }
  // A tenant leaves: its folder is removed; the Application goes, and with it the namespace.
  await commit(env, { message: `${id}: t1 leaves`, remove: [`${id}/set/t1`] });
  const start = Date.now();
  await refreshApplicationSet(env, name);
  while (await getApplication(env, `${id}-t1`)) await new Promise((r) => setTimeout(r, 200));
  const gone = Date.now() - start;
  while ((await kube(env, `/api/v1/namespaces/${id}-t1`)).status !== 404) await new Promise((r) => setTimeout(r, 200));
  log(
    `folder removed → Application gone ${secs(gone)}, namespace gone ${secs(Date.now() - start)} (refresh annotation)`,
  );
}

await applicationRounds();
await applicationSetRounds();
