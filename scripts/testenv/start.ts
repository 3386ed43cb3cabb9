// startTestEnv: builds what is missing, starts every component (in parallel where they do not
// depend on each other) and writes the env JSON.
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startArgocd } from "./argocd";
import { buildTestEnv, cachedBuilds } from "./build";
import { startControllers } from "./controllers";
import { installCrds } from "./crds";
import { startGitea } from "./gitea";
import { startKube } from "./kube";
import { startKwok } from "./kwok";
import { killGroups, killGroupsSync, liveOwner, stateFileOf, Supervisor, writeState } from "./processes";
import { stopTestEnv } from "./stop";
import type { StartedTestEnv, StartTestEnvOptions, StateFile, TestEnv } from "./types";
import { defaultLog } from "./util";
import { DEFAULT_PLACEMENTS, DEFAULT_STATE_DIR } from "./versions";

function placementSources(opts: StartTestEnvOptions): string[] {
  if (opts.placements) return opts.placements;
  const fromEnv = process.env.BERTH_TESTENV_PLACEMENTS;
  return fromEnv ? fromEnv.split(",").map((s) => s.trim()) : DEFAULT_PLACEMENTS;
}

export async function startTestEnv(opts: StartTestEnvOptions = {}): Promise<StartedTestEnv> {
  const log = opts.log ?? defaultLog;
  const t0 = Date.now();
  const explicitDir = opts.stateDir ?? process.env.BERTH_TESTENV_STATE_DIR;
  let stateDir = path.resolve(explicitDir ?? DEFAULT_STATE_DIR);
  const owner = liveOwner(stateDir);
  if (owner) {
    // Another process (e.g. a parallel Vitest run) owns the environment in this folder and will
    // stop it itself: never stop it from here.
    if (explicitDir || opts.envFile) throw new Error(`the test environment in ${stateDir} is in use by pid ${owner}`);
    stateDir = path.join(stateDir, `run-${process.pid}`);
    log(`${DEFAULT_STATE_DIR} is in use by pid ${owner}; using ${stateDir}`);
  }
  const envFile = path.resolve(opts.envFile ?? path.join(stateDir, "env.json"));
  const stateFile = stateFileOf(stateDir);
  const placements = placementSources(opts);
  const builds = opts.build === false ? cachedBuilds() : await buildTestEnv({ log });

  // A previous environment recorded in this state folder is stopped first.
  if (fs.existsSync(stateFile)) await stopTestEnv({ stateDir, log });
  await fsp.mkdir(stateDir, { recursive: true });
  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), "berth-testenv-"));
  const logDir = path.join(tmpDir, "logs");
  await fsp.mkdir(logDir);
  const startedAt = new Date().toISOString();
  const state: StateFile = {
    startedBy: process.pid,
    detached: !!opts.detach,
    startedAt,
    stateDir,
    tmpDir,
    envFile,
    processes: [],
  };
  writeState(state);
  const sup = new Supervisor(state, logDir, !!opts.detach);

  let stopped = false;
  const removeFiles = () => {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.rmSync(stateFile, { force: true });
    fs.rmSync(envFile, { force: true });
    if (path.basename(stateDir).startsWith("run-")) fs.rmSync(stateDir, { recursive: true, force: true });
  };
  const cleanupSync = () => {
    if (stopped) return;
    stopped = true;
    killGroupsSync(sup.all());
    try {
      removeFiles();
    } catch {
      /* best effort */
    }
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = (sig: NodeJS.Signals) => {
    log(`${sig}: stopping the test environment`);
    cleanupSync();
    removeHandlers();
    // Let other handlers (e.g. Vitest's) decide; otherwise behave like the default action.
    if (process.listenerCount(sig) === 0) process.exit(128 + (os.constants.signals[sig] ?? 1));
  };
  const onExit = () => cleanupSync();
  const removeHandlers = () => {
    for (const s of signals) process.off(s, onSignal);
    process.off("exit", onExit);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on("exit", onExit);

  try {
    const [kube, gitea] = await Promise.all([
      startKube({ builds, tmpDir, sup, log }),
      startGitea({ builds, tmpDir, sup, log }),
    ]);
    const crds = installCrds(kube.client, builds.crds!.dir);
    const controllers = startControllers({ builds, kube, tmpDir, sup, log });
    const kwok = startKwok({ builds, kube, sup, placements, log });
    const argocd = crds.then(() => startArgocd({ builds, kube, gitea, tmpDir, sup, log }));
    const settled = await Promise.allSettled([crds, controllers, kwok, argocd]);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const helmHome = path.join(tmpDir, "helm");
    const env: TestEnv = {
      version: 2,
      startedAt,
      startedBy: process.pid,
      detached: state.detached,
      envFile,
      stateDir,
      tmpDir,
      logDir,
      kubernetes: { ...kube.env, crds: await crds },
      etcd: kube.etcd,
      gitea,
      helm: {
        version: builds.helm!.version,
        binary: builds.helm!.path,
        env: {
          KUBECONFIG: kube.env.kubeconfig,
          HELM_CACHE_HOME: path.join(helmHome, "cache"),
          HELM_CONFIG_HOME: path.join(helmHome, "config"),
          HELM_DATA_HOME: path.join(helmHome, "data"),
        },
      },
      controllers: await controllers,
      kwok: await kwok,
      argocd: await argocd,
      processes: Object.fromEntries(sup.procs.map((p) => [p.name, p.pid])),
      startSeconds: Math.round((Date.now() - t0) / 100) / 10,
    };
    await fsp.mkdir(path.dirname(envFile), { recursive: true });
    await fsp.writeFile(envFile, `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
    log(`ready in ${env.startSeconds}s; env: ${envFile}`);

    // Detached (CLI start): the processes outlive us. Otherwise the signal/exit handlers stay
    // until stop(), so the children die with this process.
    if (opts.detach) removeHandlers();
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      removeHandlers();
      await killGroups(sup.all(), log);
      removeFiles();
    };
    return Object.assign(env, { stop });
  } catch (err) {
    cleanupSync();
    removeHandlers();
    throw err;
  }
}
