// Stopping and finding a running environment (from any process), and restarting only its
// kube-apiserver so tests can watch clients lose and regain the cluster.
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { alive, killGroup, killGroups, readState, recordOf, spawnRecorded, stateFileOf, writeState } from "./processes";
import type { Log, Proc, TestEnv } from "./types";
import { defaultLog, request, waitFor } from "./util";
import { DEFAULT_STATE_DIR } from "./versions";

const resolveStateDir = (stateDir?: string) =>
  path.resolve(stateDir ?? process.env.BERTH_TESTENV_STATE_DIR ?? DEFAULT_STATE_DIR);

/** Stops the environment recorded in <stateDir>/state.json; false if there was none. */
export async function stopTestEnv(opts: { stateDir?: string; log?: Log; force?: boolean } = {}): Promise<boolean> {
  const stateDir = resolveStateDir(opts.stateDir);
  const log = opts.log ?? defaultLog;
  const state = readState(stateDir);
  if (!state) return false;
  if (!opts.force && !state.detached && state.startedBy !== process.pid && alive(state.startedBy)) {
    throw new Error(
      `the test environment in ${stateDir} belongs to running pid ${state.startedBy} (it stops it itself); use stop --force to stop it anyway`,
    );
  }
  await killGroups(state.processes ?? [], log);
  if (state.tmpDir?.startsWith(os.tmpdir())) await fsp.rm(state.tmpDir, { recursive: true, force: true });
  if (state.envFile) await fsp.rm(state.envFile, { force: true });
  await fsp.rm(stateFileOf(stateDir), { force: true });
  return true;
}

/** The env JSON of the environment recorded in stateDir if all its processes are alive, else null. */
export function readTestEnv(opts: { stateDir?: string } = {}): TestEnv | null {
  const state = readState(resolveStateDir(opts.stateDir));
  if (!state || !(state.processes ?? []).every((p) => alive(p.pid))) return null;
  try {
    return JSON.parse(fs.readFileSync(state.envFile, "utf8")) as TestEnv;
  } catch {
    return null;
  }
}

const readEnv = async (envFile?: string): Promise<TestEnv> => {
  const file = envFile ?? process.env.BERTH_TESTENV_FILE;
  if (!file) throw new Error("no env file: pass envFile or set BERTH_TESTENV_FILE");
  return JSON.parse(await fsp.readFile(file, "utf8")) as TestEnv;
};

/** Stops only the kube-apiserver; etcd keeps the data. */
export async function stopApiserver(opts: { envFile?: string; log?: Log; graceMs?: number } = {}): Promise<void> {
  const env = await readEnv(opts.envFile);
  const pid = env.processes["kube-apiserver"];
  if (!pid) throw new Error("the env JSON records no kube-apiserver");
  // SIGTERM first; the apiserver holds open watches through its graceful shutdown, so a short
  // grace before SIGKILL keeps tests quick.
  const proc = { name: "kube-apiserver", pid, bin: env.kubernetes.apiserver.bin, log: env.kubernetes.apiserver.log };
  await killGroup(proc, opts.log ?? defaultLog, opts.graceMs ?? 3_000);
}

// Restarted with the apiserver, as a kubelet restarts them beside it on a control-plane node:
// left running, client-go's watch backoff keeps them idle for 30-90 s after an outage (measured).
const RESTARTED_WITH_APISERVER = ["kube-controller-manager", "kube-scheduler"];

/**
 * Starts the kube-apiserver again with the same port, certificates and etcd, waits for /readyz,
 * then restarts the controller-manager and scheduler and waits for their /healthz.
 */
export async function startApiserver(opts: { envFile?: string; log?: Log } = {}): Promise<void> {
  const log = opts.log ?? defaultLog;
  const envFile = opts.envFile ?? process.env.BERTH_TESTENV_FILE ?? "";
  const env = await readEnv(envFile);
  const state = readState(env.stateDir);
  if (!state) throw new Error(`no running test environment in ${env.stateDir}`);
  const restart = async (name: string, ready: (p: Proc) => Promise<void>) => {
    const rec = state.processes.find((p) => p.name === name);
    if (!rec) throw new Error(`the environment recorded no ${name}`);
    await killGroup(rec, log, 5_000);
    const proc = spawnRecorded(rec, true); // owned by the environment: stopTestEnv / stop() kill it
    state.processes = [...state.processes.filter((p) => p.name !== name), recordOf(proc)];
    env.processes[name] = proc.pid;
    writeState(state);
    await fsp.writeFile(envFile, `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
    await ready(proc);
  };
  const tls = { ca: env.kubernetes.ca, cert: env.kubernetes.cert, key: env.kubernetes.key };
  await restart("kube-apiserver", (proc) =>
    waitFor(
      "kube-apiserver /readyz after restart",
      async () => (await request(`${env.kubernetes.server}/readyz`, { tls })).status === 200,
      { proc },
    ).then(() => {}),
  );
  const healthz: Record<string, string> = {
    "kube-controller-manager": env.controllers.controllerManager.healthz,
    "kube-scheduler": env.controllers.scheduler.healthz,
  };
  await Promise.all(
    RESTARTED_WITH_APISERVER.map((name) =>
      restart(name, (proc) =>
        waitFor(
          `${name} /healthz after restart`,
          async () => (await request(healthz[name]!, { tls: { rejectUnauthorized: false } })).status === 200,
          { proc },
        ).then(() => {}),
      ),
    ),
  );
  log(`kube-apiserver restarted (pid ${env.processes["kube-apiserver"]}), with the controller-manager and scheduler`);
}
