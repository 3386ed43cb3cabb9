#!/usr/bin/env node
// Berth test environment: a real kube-apiserver (+ etcd), Gitea and helm, built from pinned Go
// modules, cached by version and started on 127.0.0.1 with free ports and temporary data folders.
//
//   node scripts/test-env.mjs build              build whatever is missing from the cache
//   node scripts/test-env.mjs start [--foreground] start; writes the env JSON (path printed)
//   node scripts/test-env.mjs stop [--force]     stop the processes recorded in the state folder
//   node scripts/test-env.mjs status             print the env JSON if the environment is running
//
// Library use (Vitest globalSetup): `const env = await startTestEnv(); ...; await env.stop()`.
// Only Node built-ins are used. See testenv/README.md.
import { spawn, execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TOOLS_DIR = path.join(REPO_ROOT, "testenv", "tools");
const CRD_DIR = path.join(REPO_ROOT, "test-fixtures", "crds");
export const DEFAULT_STATE_DIR = path.join(REPO_ROOT, ".data", "testenv");
export const CACHE_ROOT = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"),
  "berth",
  "testenv",
);

// Gitea is not in testenv/tools/go.mod: its own go.mod has replace directives, so it is built
// from a copy of its module source (go mod download) instead. Bump it here.
export const GITEA_VERSION = "v1.26.4";
const GITEA_TAGS = "sqlite sqlite_unlock_notify";

const GITEA_ADMIN = { username: "berth-admin", email: "berth-admin@example.test" };
const GITEA_ORG = "platform";
const GITEA_REPO = "gitops";
const SERVICE_CIDR = "10.0.0.0/24";
const SERVICE_IP = "10.0.0.1";

const defaultLog = (msg) => process.stderr.write(`[test-env] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Versions and build
// ---------------------------------------------------------------------------------------------

/** Versions pinned in testenv/tools/go.mod (require block). */
export function toolVersions() {
  const gomod = fs.readFileSync(path.join(TOOLS_DIR, "go.mod"), "utf8");
  const pick = (mod) => {
    const re = new RegExp(`^\\s*${mod.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s+(v\\S+)`, "m");
    const m = gomod.match(re);
    if (!m) throw new Error(`${mod} is not required in ${path.join(TOOLS_DIR, "go.mod")}`);
    return m[1];
  };
  return {
    etcd: pick("go.etcd.io/etcd/server/v3"),
    "kube-apiserver": pick("k8s.io/kubernetes"),
    helm: pick("helm.sh/helm/v3"),
    gitea: GITEA_VERSION,
  };
}

function k8sVersionLdflags(version) {
  const [, major, minor] = version.match(/^v(\d+)\.(\d+)\./) ?? [];
  const flags = ["-s", "-w"];
  for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
    flags.push(
      `-X ${pkg}.gitVersion=${version}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return flags.join(" ");
}

/** The components, their cache folders and how to build them. */
export function components() {
  const v = toolVersions();
  const goTool = (pkg, ldflags) => async (outDir, run) => {
    await run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", outDir + "/", pkg], {
      cwd: TOOLS_DIR,
      env: { CGO_ENABLED: "0" },
    });
  };
  const list = [
    {
      name: "etcd",
      version: v.etcd,
      bin: "etcd",
      build: async (outDir, run) => {
        await run(
          "go",
          [
            "build",
            "-trimpath",
            "-ldflags",
            `-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${v.etcd}`,
            "-o",
            path.join(outDir, "etcd"),
            "go.etcd.io/etcd/server/v3",
          ],
          { cwd: TOOLS_DIR, env: { CGO_ENABLED: "0" } },
        );
      },
    },
    {
      name: "kube-apiserver",
      version: v["kube-apiserver"],
      bin: "kube-apiserver",
      build: goTool("k8s.io/kubernetes/cmd/kube-apiserver", k8sVersionLdflags(v["kube-apiserver"])),
    },
    {
      name: "helm",
      version: v.helm,
      bin: "helm",
      build: goTool("helm.sh/helm/v3/cmd/helm", `-s -w -X helm.sh/helm/v3/internal/version.version=${v.helm}`),
    },
    {
      name: "gitea",
      version: v.gitea,
      bin: "gitea",
      build: async (outDir, run) => {
        const info = JSON.parse(
          await run("go", ["mod", "download", "-json", `code.gitea.io/gitea@${v.gitea}`], {
            cwd: os.tmpdir(),
            capture: true,
            nice: false,
            env: { GOFLAGS: "-mod=mod" },
          }),
        );
        if (info.Error || !info.Dir) throw new Error(`go mod download code.gitea.io/gitea@${v.gitea}: ${info.Error}`);
        const src = path.join(outDir, ".src");
        await fsp.cp(info.Dir, src, { recursive: true });
        await makeWritable(src);
        const ver = v.gitea.replace(/^v/, "");
        await run(
          "go",
          [
            "build",
            "-trimpath",
            "-tags",
            GITEA_TAGS,
            "-ldflags",
            `-s -w -X "main.Version=${ver}" -X "main.Tags=${GITEA_TAGS}"`,
            "-o",
            path.join(outDir, "gitea"),
            ".",
          ],
          { cwd: src, env: { CGO_ENABLED: "1" } },
        );
        // Built without the bindata tag: templates/options/locales are read from STATIC_ROOT_PATH.
        for (const d of ["options", "templates", "public"]) {
          await fsp.cp(path.join(src, d), path.join(outDir, d), { recursive: true });
        }
        await fsp.rm(src, { recursive: true, force: true });
      },
    },
  ];
  for (const c of list) {
    c.dir = path.join(CACHE_ROOT, `${c.name}-${c.version}`);
    c.path = path.join(c.dir, c.bin);
    c.marker = path.join(c.dir, "build.json");
  }
  return list;
}

async function makeWritable(dir) {
  await fsp.chmod(dir, 0o755);
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await makeWritable(p);
    else if (e.isFile()) await fsp.chmod(p, (await fsp.stat(p)).mode | 0o200);
  }
}

function isCached(c) {
  return fs.existsSync(c.marker) && fs.existsSync(c.path);
}

function hasNice() {
  try {
    execFileSync("nice", ["-n", "0", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds every component missing from the cache. Each build goes to a temporary folder that is
 * renamed into place when it succeeds, so an interrupted build never leaves a half cache entry.
 * Returns `{ [name]: { version, path, dir, cached, seconds } }`.
 */
export async function buildTestEnv({ log = defaultLog, only } = {}) {
  const result = {};
  const nice = hasNice();
  for (const c of components()) {
    if (only && !only.includes(c.name)) continue;
    if (isCached(c)) {
      const m = JSON.parse(fs.readFileSync(c.marker, "utf8"));
      result[c.name] = { version: c.version, path: c.path, dir: c.dir, cached: true, seconds: m.seconds };
      continue;
    }
    await fsp.mkdir(CACHE_ROOT, { recursive: true });
    // Leftovers of interrupted builds (their process is gone).
    for (const e of await fsp.readdir(CACHE_ROOT)) {
      const m = e.match(/\.tmp-(\d+)$/);
      if (m && e.startsWith(`${c.name}-`) && !alive(Number(m[1]))) {
        await makeWritable(path.join(CACHE_ROOT, e)).catch(() => {});
        await fsp.rm(path.join(CACHE_ROOT, e), { recursive: true, force: true });
      }
    }
    const tmp = `${c.dir}.tmp-${process.pid}`;
    await fsp.rm(tmp, { recursive: true, force: true });
    await fsp.mkdir(tmp, { recursive: true });
    const logFile = path.join(CACHE_ROOT, `${c.name}-${c.version}.build.log`);
    const logFd = fs.openSync(logFile, "w");
    const run = (cmd, args, opts = {}) => runLogged(cmd, args, { ...opts, logFd, nice: nice && opts.nice !== false });
    log(`building ${c.name} ${c.version} (first run only; log: ${logFile})`);
    const started = Date.now();
    try {
      await c.build(tmp, run);
    } catch (err) {
      fs.closeSync(logFd);
      await makeWritable(tmp).catch(() => {});
      await fsp.rm(tmp, { recursive: true, force: true });
      throw new Error(
        `build of ${c.name} ${c.version} failed: ${err.message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`,
      );
    }
    fs.closeSync(logFd);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const goVersion = execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim();
    await fsp.writeFile(
      path.join(tmp, "build.json"),
      JSON.stringify(
        { name: c.name, version: c.version, seconds, builtAt: new Date().toISOString(), go: goVersion },
        null,
        2,
      ) + "\n",
    );
    try {
      await fsp.rename(tmp, c.dir);
    } catch (err) {
      // Someone else finished the same build first; theirs is as good as ours.
      if (!isCached(c)) throw err;
      await fsp.rm(tmp, { recursive: true, force: true });
    }
    log(`built ${c.name} ${c.version} in ${seconds}s`);
    result[c.name] = { version: c.version, path: c.path, dir: c.dir, cached: false, seconds };
  }
  return result;
}

function runLogged(cmd, args, { cwd, env = {}, logFd, capture = false, nice = false }) {
  return new Promise((resolve, reject) => {
    const fullEnv = { ...process.env, GOFLAGS: process.env.GOFLAGS ?? "-p=1", ...env };
    if (env.GOFLAGS && process.env.GOFLAGS) fullEnv.GOFLAGS = `${process.env.GOFLAGS} ${env.GOFLAGS}`;
    const [file, argv] = nice ? ["nice", ["-n", "10", cmd, ...args]] : [cmd, args];
    fs.writeSync(
      logFd,
      `$ (cd ${cwd} && ${file} ${argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")})\n`,
    );
    const child = spawn(file, argv, { cwd, env: fullEnv, stdio: ["ignore", capture ? "pipe" : logFd, logFd] });
    let out = "";
    if (capture) child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.slice(0, 2).join(" ")} exited with ${signal ?? code}`));
    });
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function openssl(args, cwd) {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function randomSecret(bytes = 24) {
  return crypto.randomBytes(bytes).toString("base64url");
}

/** A plain HTTP(S) request; resolves { status, headers, text, json() }. */
export function request(url, { method = "GET", headers = {}, body, tls } = {}) {
  const u = new URL(url);
  const mod = u.protocol === "https:" ? https : http;
  const payload =
    body === undefined ? undefined : typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const hdrs = { ...headers };
  if (payload !== undefined) {
    hdrs["content-type"] ??= "application/json";
    hdrs["content-length"] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method, headers: hdrs, ...(tls ?? {}), agent: false, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function waitFor(what, fn, { timeoutMs = 120_000, proc, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    if (proc?.exit) {
      throw new Error(
        `${proc.name} exited (${proc.exit}) while waiting for ${what}\n--- ${proc.log} (tail) ---\n${tail(proc.log)}`,
      );
    }
    try {
      const ok = await fn();
      if (ok) return ok;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const extra = proc ? `\n--- ${proc.log} (tail) ---\n${tail(proc.log)}` : "";
      throw new Error(`timed out waiting for ${what}${lastErr ? ` (last error: ${lastErr.message})` : ""}${extra}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: every child gets its own process group (detached) and its pid is recorded
// in <stateDir>/state.json, so `stop` (from any process) can kill the whole group.
// ---------------------------------------------------------------------------------------------

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

function groupAlive(pgid) {
  return alive(-pgid);
}

/** True unless /proc says the pid now belongs to a different program (pid reuse). */
function sameProgram(pid, bin) {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    return !bin || cmd === bin || path.basename(cmd) === path.basename(bin);
  } catch {
    return true;
  }
}

function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

/** Synchronous: used from signal/exit handlers. */
function killGroupsSync(procs, graceMs = 5000) {
  const live = procs.filter((p) => groupAlive(p.pid) && (!alive(p.pid) || sameProgram(p.pid, p.bin)));
  for (const p of live) signalGroup(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (live.some((p) => groupAlive(p.pid)) && Date.now() < deadline) sleepSync(50);
  for (const p of live) if (groupAlive(p.pid)) signalGroup(p.pid, "SIGKILL");
}

async function killGroups(procs, log, graceMs = 15_000) {
  // kube-apiserver and Gitea together, etcd last (the apiserver shuts down cleaner with it).
  const last = procs.filter((p) => p.name === "etcd");
  await Promise.all(procs.filter((p) => p.name !== "etcd").map((p) => killGroup(p, log, graceMs)));
  await Promise.all(last.map((p) => killGroup(p, log, graceMs)));
}

async function killGroup(p, log, graceMs) {
  if (!groupAlive(p.pid)) return;
  if (alive(p.pid) && !sameProgram(p.pid, p.bin)) {
    log(`pid ${p.pid} (${p.name}) now belongs to another program; not touching it`);
    return;
  }
  const t = Date.now();
  signalGroup(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(p.pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(p.pid)) {
    log(`${p.name} (pgid ${p.pid}) did not stop after SIGTERM; sending SIGKILL`);
    signalGroup(p.pid, "SIGKILL");
    while (groupAlive(p.pid)) await sleep(50);
  }
  if (process.env.BERTH_TESTENV_DEBUG) log(`${p.name} stopped in ${Date.now() - t}ms`);
}

function statePaths(stateDir) {
  return { stateFile: path.join(stateDir, "state.json") };
}

/** Pid of a live, non-detached process that owns the environment recorded in stateDir. */
function liveOwner(stateDir) {
  try {
    const st = JSON.parse(fs.readFileSync(statePaths(stateDir).stateFile, "utf8"));
    if (!st.detached && st.startedBy !== process.pid && alive(st.startedBy)) return st.startedBy;
  } catch {
    /* no state */
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

/**
 * Starts etcd + kube-apiserver and Gitea (in parallel), installs the CRDs, prepares Gitea and
 * writes the env JSON. Returns the env object plus `envFile` and `stop()`.
 *
 * opts.stateDir   state folder (default <repo>/.data/testenv, or $BERTH_TESTENV_STATE_DIR)
 * opts.envFile    env JSON path (default <stateDir>/env.json)
 * opts.detach     leave the processes running when this Node process exits (CLI `start`)
 * opts.build      build missing components first (default true; false = fail if not cached)
 * opts.log        logger (default: stderr); pass () => {} to silence
 */
export async function startTestEnv(opts = {}) {
  const log = opts.log ?? defaultLog;
  const t0 = Date.now();
  const explicitDir = opts.stateDir ?? process.env.BERTH_TESTENV_STATE_DIR;
  let stateDir = path.resolve(explicitDir ?? DEFAULT_STATE_DIR);
  const owner = liveOwner(stateDir);
  if (owner) {
    // Another process (e.g. a parallel Vitest run) owns the environment in this folder and
    // will stop it itself: never stop it from here.
    if (explicitDir || opts.envFile) throw new Error(`the test environment in ${stateDir} is in use by pid ${owner}`);
    stateDir = path.join(stateDir, `run-${process.pid}`);
    log(`${DEFAULT_STATE_DIR} is in use by pid ${owner}; using ${stateDir}`);
  }
  const envFile = path.resolve(opts.envFile ?? path.join(stateDir, "env.json"));
  const { stateFile } = statePaths(stateDir);

  let bins;
  if (opts.build === false) {
    bins = {};
    for (const c of components()) {
      if (!isCached(c)) throw new Error(`${c.name} ${c.version} is not built; run: node scripts/test-env.mjs build`);
      bins[c.name] = { version: c.version, path: c.path, dir: c.dir };
    }
  } else {
    bins = await buildTestEnv({ log });
  }

  // A previous environment recorded in this state folder is stopped first.
  if (fs.existsSync(stateFile)) await stopTestEnv({ stateDir, log });

  await fsp.mkdir(stateDir, { recursive: true });
  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), "berth-testenv-"));
  const logDir = path.join(tmpDir, "logs");
  await fsp.mkdir(logDir);

  const state = {
    startedBy: process.pid,
    detached: !!opts.detach,
    startedAt: new Date().toISOString(),
    stateDir,
    tmpDir,
    envFile,
    processes: [],
  };
  const writeState = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2) + "\n");
  writeState();

  const procs = [];
  let stopped = false;
  // A test may have restarted the kube-apiserver (startApiserver): its new pid is only in the state file.
  const allProcs = () => {
    try {
      const recorded = JSON.parse(fs.readFileSync(stateFile, "utf8")).processes ?? [];
      return [...procs, ...recorded.filter((r) => !procs.some((p) => p.pid === r.pid))];
    } catch {
      return procs;
    }
  };
  const cleanupSync = () => {
    if (stopped) return;
    stopped = true;
    killGroupsSync(allProcs());
    try {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      fs.rmSync(stateFile, { force: true });
      fs.rmSync(envFile, { force: true });
      if (path.basename(stateDir).startsWith("run-")) fs.rmdirSync(stateDir);
    } catch {
      /* best effort */
    }
  };
  const onSignal = (sig) => {
    log(`${sig}: stopping the test environment`);
    cleanupSync();
    removeHandlers();
    // Let other handlers (e.g. Vitest's) decide; otherwise behave like the default action.
    if (process.listenerCount(sig) === 0) process.exit(128 + (os.constants.signals[sig] ?? 1));
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onExit = () => cleanupSync();
  const removeHandlers = () => {
    for (const s of signals) process.off(s, onSignal);
    process.off("exit", onExit);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on("exit", onExit);

  const startProc = (name, bin, args, { cwd = tmpDir, env = {} } = {}) => {
    const logFile = path.join(logDir, `${name}.log`);
    const fd = fs.openSync(logFile, "a");
    const child = spawn(bin, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", fd, fd],
      detached: true, // own process group: pgid == pid
    });
    fs.closeSync(fd);
    const p = { name, pid: child.pid, bin, log: logFile, exit: null };
    child.on("exit", (code, signal) => (p.exit = signal ?? `code ${code}`));
    child.on("error", (err) => (p.exit = err.message));
    if (opts.detach) child.unref();
    procs.push(p);
    state.processes.push({ name, pid: child.pid, bin, log: logFile });
    writeState();
    return p;
  };

  try {
    const [kube, gitea] = await Promise.all([
      startKube({ bins, tmpDir, startProc, log }),
      startGitea({ bins, tmpDir, startProc, log }),
    ]);

    const helmHome = path.join(tmpDir, "helm");
    const env = {
      version: 1,
      startedAt: state.startedAt,
      startedBy: process.pid,
      detached: state.detached,
      envFile,
      stateDir,
      tmpDir,
      logDir,
      kubernetes: kube.env,
      etcd: kube.etcd,
      gitea,
      helm: {
        version: bins.helm.version,
        binary: bins.helm.path,
        env: {
          KUBECONFIG: kube.env.kubeconfig,
          HELM_CACHE_HOME: path.join(helmHome, "cache"),
          HELM_CONFIG_HOME: path.join(helmHome, "config"),
          HELM_DATA_HOME: path.join(helmHome, "data"),
        },
      },
      processes: Object.fromEntries(procs.map((p) => [p.name, p.pid])),
    };
    await fsp.mkdir(path.dirname(envFile), { recursive: true });
    await fsp.writeFile(envFile, JSON.stringify(env, null, 2) + "\n", { mode: 0o600 });
    log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s; env: ${envFile}`);

    // Detached (CLI start): the processes outlive us. Otherwise the signal/exit handlers stay
    // until stop(), so the children die with this process.
    if (opts.detach) removeHandlers();
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      removeHandlers();
      await killGroups(allProcs(), log);
      await fsp.rm(tmpDir, { recursive: true, force: true });
      await fsp.rm(stateFile, { force: true });
      await fsp.rm(envFile, { force: true });
      if (path.basename(stateDir).startsWith("run-")) await fsp.rmdir(stateDir).catch(() => {});
    };
    return Object.assign(env, { stop });
  } catch (err) {
    cleanupSync();
    removeHandlers();
    throw err;
  }
}

async function startKube({ bins, tmpDir, startProc, log }) {
  const dir = path.join(tmpDir, "kube");
  const pki = path.join(dir, "pki");
  await fsp.mkdir(pki, { recursive: true });
  const [etcdPort, etcdPeerPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);

  // etcd: plain HTTP on loopback, throw-away data dir.
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = startProc("etcd", bins.etcd.path, [
    "--name=berth",
    `--data-dir=${path.join(dir, "etcd")}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=berth=${peerUrl}`,
    "--initial-cluster-state=new",
    "--unsafe-no-fsync", // test data only
    "--log-level=warn",
  ]);

  // Certificates (openssl CLI): a CA, the serving cert, an admin client cert in system:masters
  // and the service-account key pair. EC P-256 keys are instant to generate.
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "7",
      "-subj",
      "/CN=berth-testenv-ca",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    pki,
  );
  const leaf = (name, subj, ext) => {
    fs.writeFileSync(path.join(pki, `${name}.ext`), ext.join("\n") + "\n");
    openssl(["req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj], pki);
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "7",
        "-out",
        `${name}.crt`,
        "-extfile",
        `${name}.ext`,
      ],
      pki,
    );
  };
  leaf("apiserver", "/CN=kube-apiserver", [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:${SERVICE_IP}`,
  ]);
  leaf("admin", "/O=system:masters/CN=berth-admin", [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=clientAuth",
  ]);
  openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "sa.key"], pki);
  openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], pki);
  // Static bearer token for the admin as well (same groups as the client cert).
  const adminToken = randomSecret(32);
  fs.writeFileSync(
    path.join(pki, "tokens.csv"),
    `${adminToken},berth-admin-token,berth-admin-token,"system:masters"\n`,
    { mode: 0o600 },
  );

  const read = (f) => fs.readFileSync(path.join(pki, f), "utf8");
  const tls = { ca: read("ca.crt"), cert: read("admin.crt"), key: read("admin.key") };
  const server = `https://127.0.0.1:${apiPort}`;

  await waitFor(
    "etcd health",
    async () => {
      const r = await request(`${etcdUrl}/health`);
      return r.status === 200 && r.json().health === "true";
    },
    { proc: etcd, timeoutMs: 60_000 },
  );
  log(`etcd ${bins.etcd.version} ready on ${etcdUrl}`);

  const apiserverArgs = [
    `--etcd-servers=${etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${apiPort}`,
    `--cert-dir=${path.join(dir, "certs")}`,
    `--tls-cert-file=${path.join(pki, "apiserver.crt")}`,
    `--tls-private-key-file=${path.join(pki, "apiserver.key")}`,
    `--client-ca-file=${path.join(pki, "ca.crt")}`,
    `--token-auth-file=${path.join(pki, "tokens.csv")}`,
    "--authorization-mode=RBAC",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${path.join(pki, "sa.pub")}`,
    `--service-account-signing-key-file=${path.join(pki, "sa.key")}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // No controller-manager runs, so no namespace gets a "default" ServiceAccount; without this
    // the ServiceAccount admission plugin would reject every Pod.
    "--disable-admission-plugins=ServiceAccount",
  ];
  const apiserver = startProc("kube-apiserver", bins["kube-apiserver"].path, apiserverArgs);
  await waitFor(
    "kube-apiserver /readyz",
    async () => {
      const r = await request(`${server}/readyz`, { tls });
      return r.status === 200;
    },
    { proc: apiserver, timeoutMs: 120_000 },
  );
  await waitFor(
    "namespace default",
    async () => (await request(`${server}/api/v1/namespaces/default`, { tls })).status === 200,
    {
      proc: apiserver,
      timeoutMs: 60_000,
    },
  );
  log(`kube-apiserver ${bins["kube-apiserver"].version} ready on ${server}`);

  const kubeconfig = path.join(dir, "kubeconfig");
  const b64 = (s) => Buffer.from(s).toString("base64");
  fs.writeFileSync(
    kubeconfig,
    JSON.stringify(
      {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "berth-testenv", cluster: { server, "certificate-authority-data": b64(tls.ca) } }],
        users: [
          { name: "berth-admin", user: { "client-certificate-data": b64(tls.cert), "client-key-data": b64(tls.key) } },
        ],
        contexts: [
          { name: "berth-testenv", context: { cluster: "berth-testenv", user: "berth-admin", namespace: "default" } },
        ],
        "current-context": "berth-testenv",
        preferences: {},
      },
      null,
      2,
    ) + "\n",
    { mode: 0o600 },
  );

  const crds = await applyCrds({ server, tls, apiserver });
  log(`CRDs established: ${crds.join(", ")}`);

  return {
    etcd: { version: bins.etcd.version, endpoint: etcdUrl },
    env: {
      version: bins["kube-apiserver"].version,
      server,
      kubeconfig,
      caFile: path.join(pki, "ca.crt"),
      certFile: path.join(pki, "admin.crt"),
      keyFile: path.join(pki, "admin.key"),
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      token: adminToken,
      user: "berth-admin",
      groups: ["system:masters"],
      serviceAccountIssuer: "https://kubernetes.default.svc.cluster.local",
      crds,
      // How to start it again on the same port and certs (stopApiserver/startApiserver).
      apiserver: { bin: bins["kube-apiserver"].path, args: apiserverArgs, log: apiserver.log },
    },
  };
}

/** POSTs every document of test-fixtures/crds/*.yaml (the apiserver accepts YAML) and waits for Established. */
async function applyCrds({ server, tls, apiserver }) {
  const base = `${server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`;
  const names = [];
  const files = (await fsp.readdir(CRD_DIR)).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const f of files) {
    const docs = fs.readFileSync(path.join(CRD_DIR, f), "utf8").split(/^---\s*$/m);
    for (const doc of docs) {
      if (!/^\s*kind:/m.test(doc)) continue;
      const r = await request(base, {
        method: "POST",
        body: doc,
        tls,
        headers: { "content-type": "application/yaml", accept: "application/json" },
      });
      if (r.status === 201) names.push(r.json().metadata.name);
      else if (r.status === 409) names.push(doc.match(/^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*(\S+)/m)[1]);
      else throw new Error(`creating CRD from ${f}: HTTP ${r.status}: ${r.text}`);
    }
  }
  for (const name of names) {
    const crd = await waitFor(
      `CRD ${name} Established`,
      async () => {
        const r = await request(`${base}/${name}`, { tls });
        const obj = r.status === 200 ? r.json() : null;
        return (obj?.status?.conditions ?? []).some((c) => c.type === "Established" && c.status === "True") && obj;
      },
      { proc: apiserver, timeoutMs: 60_000 },
    );
    // The apiserver creates a CRD's storage (and its watch cache) on the first request and
    // answers 429 "storage is (re)initializing" until the cache is filled: warm every served
    // version up here so tests see a settled API.
    for (const v of crd.spec.versions.filter((x) => x.served)) {
      const list = `${server}/apis/${crd.spec.group}/${v.name}/${crd.spec.names.plural}?limit=1`;
      await waitFor(`${name} ${v.name} served`, async () => (await request(list, { tls })).status === 200, {
        proc: apiserver,
        timeoutMs: 60_000,
      });
    }
  }
  return names;
}

async function startGitea({ bins, tmpDir, startProc, log }) {
  const bin = bins.gitea.path;
  const work = path.join(tmpDir, "gitea");
  const custom = path.join(work, "custom");
  const conf = path.join(custom, "conf", "app.ini");
  await fsp.mkdir(path.dirname(conf), { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const runUser = os.userInfo().username;
  const ini = `; generated by scripts/test-env.mjs
APP_NAME = Berth test Gitea
RUN_MODE = prod
RUN_USER = ${runUser}
WORK_PATH = ${work}
${process.getuid?.() === 0 ? "I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true\n" : ""}
[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = ${port}
DOMAIN = 127.0.0.1
ROOT_URL = ${url}/
STATIC_ROOT_PATH = ${bins.gitea.dir}
APP_DATA_PATH = ${path.join(work, "data")}
DISABLE_SSH = true
START_SSH_SERVER = false
OFFLINE_MODE = true
LFS_START_SERVER = false
GRACEFUL_HAMMER_TIME = 3s

[database]
DB_TYPE = sqlite3
PATH = ${path.join(work, "data", "gitea.db")}
SQLITE_JOURNAL_MODE = WAL

[repository]
ROOT = ${path.join(work, "repositories")}
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = ${randomSecret(32)}
INTERNAL_TOKEN = ${randomSecret(48)}
PASSWORD_COMPLEXITY = off
MIN_PASSWORD_LENGTH = 8

[oauth2]
JWT_SECRET = ${crypto.randomBytes(32).toString("base64url")}

[service]
DISABLE_REGISTRATION = true
DEFAULT_ALLOW_CREATE_ORGANIZATION = true
ENABLE_NOTIFY_MAIL = false

[webhook]
ALLOWED_HOST_LIST = *
SKIP_TLS_VERIFY = true
DELIVER_TIMEOUT = 10

[mailer]
ENABLED = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[indexer]
ISSUE_INDEXER_TYPE = db
REPO_INDEXER_ENABLED = false

[cron]
ENABLED = false

[cron.update_checker]
ENABLED = false

[actions]
ENABLED = false

[packages]
ENABLED = false

[picture]
DISABLE_GRAVATAR = true
ENABLE_FEDERATED_AVATAR = false

[migrations]
ALLOW_LOCALNETWORKS = true

[log]
MODE = console
LEVEL = Warn
ROOT_PATH = ${path.join(work, "log")}
`;
  fs.writeFileSync(conf, ini, { mode: 0o600 });
  const env = { GITEA_WORK_DIR: work, GITEA_CUSTOM: custom, HOME: work, USER: runUser };
  const global = ["--config", conf, "--work-path", work, "--custom-path", custom];
  const cli = (args) => {
    try {
      return execFileSync(bin, [...args, ...global], {
        cwd: work,
        env: { ...process.env, ...env },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (err) {
      throw new Error(`gitea ${args.slice(0, 3).join(" ")} failed: ${err.stderr || err.stdout || err.message}`);
    }
  };
  const password = randomSecret(18);
  cli(["migrate"]);
  cli([
    "admin",
    "user",
    "create",
    "--admin",
    "--username",
    GITEA_ADMIN.username,
    "--password",
    password,
    "--email",
    GITEA_ADMIN.email,
    "--must-change-password=false",
  ]);
  const token = cli([
    "admin",
    "user",
    "generate-access-token",
    "--username",
    GITEA_ADMIN.username,
    "--token-name",
    "berth-testenv",
    "--scopes",
    "all",
    "--raw",
  ])
    .trim()
    .split("\n")
    .pop()
    .trim();

  const web = startProc("gitea", bin, ["web", ...global], { cwd: work, env });
  await waitFor("gitea /api/healthz", async () => (await request(`${url}/api/healthz`)).status === 200, {
    proc: web,
    timeoutMs: 90_000,
  });

  const api = (method, p, body) =>
    request(`${url}/api/v1${p}`, {
      method,
      body,
      headers: { authorization: `token ${token}`, accept: "application/json" },
    });
  const expect = async (what, resP, ...ok) => {
    const r = await resP;
    if (!ok.includes(r.status)) throw new Error(`gitea: ${what}: HTTP ${r.status}: ${r.text}`);
    return r.status === 204 || !r.text ? null : r.json();
  };
  const version = (await expect("version", api("GET", "/version"), 200)).version;
  await expect("create org", api("POST", "/orgs", { username: GITEA_ORG, visibility: "public" }), 201);
  const repo = await expect(
    "create repo",
    api("POST", `/orgs/${GITEA_ORG}/repos`, {
      name: GITEA_REPO,
      description: "Berth GitOps repository (test environment)",
      auto_init: true,
      readme: "Default",
      default_branch: "main",
      private: false,
    }),
    201,
  );
  log(`gitea ${version} ready on ${url} (${GITEA_ORG}/${GITEA_REPO})`);

  return {
    version: bins.gitea.version,
    serverVersion: version,
    url,
    apiUrl: `${url}/api/v1`,
    admin: { username: GITEA_ADMIN.username, password, email: GITEA_ADMIN.email },
    token,
    org: GITEA_ORG,
    repo: `${GITEA_ORG}/${GITEA_REPO}`,
    defaultBranch: repo.default_branch,
    cloneUrl: repo.clone_url,
    appIni: conf,
  };
}

// ---------------------------------------------------------------------------------------------
// Stop / status
// ---------------------------------------------------------------------------------------------

/**
 * Stops only the kube-apiserver of a running environment (any process may call this), so tests
 * can watch clients lose and regain the cluster; etcd keeps the data.
 */
export async function stopApiserver({ envFile, log = defaultLog, graceMs = 3_000 } = {}) {
  const env = JSON.parse(await fsp.readFile(envFile ?? process.env.BERTH_TESTENV_FILE, "utf8"));
  const pid = env.processes["kube-apiserver"];
  // SIGTERM first; the apiserver holds open watches through its graceful shutdown, so a short
  // grace before SIGKILL keeps tests quick.
  await killGroup({ name: "kube-apiserver", pid, bin: env.kubernetes.apiserver.bin }, log, graceMs);
}

/** Starts the kube-apiserver again with the same port, certificates and etcd; waits for /readyz. */
export async function startApiserver({ envFile, log = defaultLog } = {}) {
  envFile = envFile ?? process.env.BERTH_TESTENV_FILE;
  const env = JSON.parse(await fsp.readFile(envFile, "utf8"));
  const { bin, args, log: logFile } = env.kubernetes.apiserver;
  const fd = fs.openSync(logFile, "a");
  const child = spawn(bin, args, { cwd: env.tmpDir, env: process.env, stdio: ["ignore", fd, fd], detached: true });
  fs.closeSync(fd);
  child.unref(); // owned by the environment, not by the caller: stopTestEnv / stop() kill it
  const proc = { name: "kube-apiserver", pid: child.pid, bin, log: logFile, exit: null };
  child.on("exit", (code, signal) => (proc.exit = signal ?? `code ${code}`));
  // Record the new pid where stop()/stopTestEnv look for processes.
  const stateFile = statePaths(env.stateDir).stateFile;
  const state = JSON.parse(await fsp.readFile(stateFile, "utf8"));
  state.processes = [
    ...state.processes.filter((p) => p.name !== "kube-apiserver"),
    { name: "kube-apiserver", pid: child.pid, bin, log: logFile },
  ];
  await fsp.writeFile(stateFile, JSON.stringify(state, null, 2) + "\n");
  env.processes["kube-apiserver"] = child.pid;
  await fsp.writeFile(envFile, JSON.stringify(env, null, 2) + "\n", { mode: 0o600 });
  const tls = { ca: env.kubernetes.ca, cert: env.kubernetes.cert, key: env.kubernetes.key };
  await waitFor(
    "kube-apiserver /readyz after restart",
    async () => (await request(`${env.kubernetes.server}/readyz`, { tls })).status === 200,
    { proc, timeoutMs: 120_000 },
  );
  log(`kube-apiserver restarted (pid ${child.pid})`);
}

/** Stops the environment recorded in <stateDir>/state.json (from any process). */
export async function stopTestEnv({ stateDir, log = defaultLog, force = false } = {}) {
  stateDir = path.resolve(stateDir ?? process.env.BERTH_TESTENV_STATE_DIR ?? DEFAULT_STATE_DIR);
  const { stateFile } = statePaths(stateDir);
  let state;
  try {
    state = JSON.parse(await fsp.readFile(stateFile, "utf8"));
  } catch {
    return false;
  }
  if (!force && !state.detached && state.startedBy !== process.pid && alive(state.startedBy)) {
    throw new Error(
      `the test environment in ${stateDir} belongs to running pid ${state.startedBy} (it stops it itself); use stop --force to stop it anyway`,
    );
  }
  await killGroups(state.processes ?? [], log);
  if (state.tmpDir?.startsWith(os.tmpdir())) await fsp.rm(state.tmpDir, { recursive: true, force: true });
  if (state.envFile) await fsp.rm(state.envFile, { force: true });
  await fsp.rm(stateFile, { force: true });
  return true;
}

/** The env JSON of the environment recorded in stateDir if all its processes are alive, else null. */
export function readTestEnv({ stateDir } = {}) {
  stateDir = path.resolve(stateDir ?? process.env.BERTH_TESTENV_STATE_DIR ?? DEFAULT_STATE_DIR);
  try {
    const state = JSON.parse(fs.readFileSync(statePaths(stateDir).stateFile, "utf8"));
    if (!(state.processes ?? []).every((p) => alive(p.pid))) return null;
    return JSON.parse(fs.readFileSync(state.envFile, "utf8"));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "build": {
      const t = Date.now();
      const res = await buildTestEnv();
      for (const [name, r] of Object.entries(res)) {
        console.log(
          `${name.padEnd(15)} ${r.version.padEnd(9)} ${r.cached ? `cached (built in ${r.seconds}s)` : `built in ${r.seconds}s`}  ${r.path}`,
        );
      }
      console.log(`total ${((Date.now() - t) / 1000).toFixed(1)}s; cache: ${CACHE_ROOT}`);
      return;
    }
    case "start": {
      const foreground = rest.includes("--foreground");
      const env = await startTestEnv({ detach: !foreground });
      console.log(env.envFile);
      if (foreground) {
        defaultLog("running; press Ctrl-C to stop");
        await new Promise(() => {}); // the SIGINT handler stops everything and exits
      } else {
        defaultLog("running in the background; stop with: node scripts/test-env.mjs stop");
      }
      return;
    }
    case "stop": {
      const had = await stopTestEnv({ force: rest.includes("--force") });
      defaultLog(had ? "stopped" : "nothing to stop");
      return;
    }
    case "status": {
      const env = readTestEnv();
      if (!env) {
        defaultLog("not running");
        process.exitCode = 1;
        return;
      }
      console.log(
        JSON.stringify(
          { envFile: env.envFile, kubernetes: env.kubernetes.server, gitea: env.gitea.url, processes: env.processes },
          null,
          2,
        ),
      );
      return;
    }
    default:
      console.error("usage: node scripts/test-env.mjs <build|start [--foreground]|stop [--force]|status>");
      process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`[test-env] ${err.stack ?? err}`);
    process.exit(1);
  });
}
