// Process bookkeeping: every child gets its own process group (detached, pgid == pid) and is
// recorded in <stateDir>/state.json, so `stop` (from any process) can kill the whole group.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Log, Proc, ProcRecord, StateFile } from "./types";
import { sleep, sleepSync } from "./util";

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const groupAlive = (pgid: number) => alive(-pgid);

/** True unless /proc says the pid now belongs to a different program (pid reuse). */
function sameProgram(pid: number, bin: string): boolean {
  try {
    // redis-server rewrites its title to "redis-server 127.0.0.1:PORT": compare the first word.
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]?.split(" ")[0] ?? "";
    return !bin || cmd === bin || path.basename(cmd) === path.basename(bin);
  } catch {
    return true;
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

/** Synchronous: used from signal/exit handlers. */
export function killGroupsSync(procs: ProcRecord[], graceMs = 5000): void {
  const live = procs.filter((p) => groupAlive(p.pid) && (!alive(p.pid) || sameProgram(p.pid, p.bin)));
  for (const p of live) signalGroup(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (live.some((p) => groupAlive(p.pid)) && Date.now() < deadline) sleepSync(50);
  for (const p of live) if (groupAlive(p.pid)) signalGroup(p.pid, "SIGKILL");
}

/** Everything that talks to the apiserver first, etcd last (the apiserver shuts down cleaner with it). */
export async function killGroups(procs: ProcRecord[], log: Log, graceMs = 15_000): Promise<void> {
  const core = ["etcd", "kube-apiserver"];
  await Promise.all(procs.filter((p) => !core.includes(p.name)).map((p) => killGroup(p, log, graceMs)));
  await Promise.all(procs.filter((p) => p.name === "kube-apiserver").map((p) => killGroup(p, log, graceMs)));
  await Promise.all(procs.filter((p) => p.name === "etcd").map((p) => killGroup(p, log, graceMs)));
}

export async function killGroup(p: Pick<ProcRecord, "name" | "pid" | "bin">, log: Log, graceMs: number): Promise<void> {
  if (!groupAlive(p.pid)) return;
  if (alive(p.pid) && !sameProgram(p.pid, p.bin)) {
    log(`pid ${p.pid} (${p.name}) now belongs to another program; not touching it`);
    return;
  }
  signalGroup(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(p.pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(p.pid)) {
    log(`${p.name} (pgid ${p.pid}) did not stop after SIGTERM; sending SIGKILL`);
    signalGroup(p.pid, "SIGKILL");
    while (groupAlive(p.pid)) await sleep(50);
  }
}

export const stateFileOf = (stateDir: string) => path.join(stateDir, "state.json");

export function readState(stateDir: string): StateFile | null {
  try {
    return JSON.parse(fs.readFileSync(stateFileOf(stateDir), "utf8")) as StateFile;
  } catch {
    return null;
  }
}

export function writeState(state: StateFile): void {
  fs.writeFileSync(stateFileOf(state.stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Pid of a live, non-detached process that owns the environment recorded in stateDir. */
export function liveOwner(stateDir: string): number {
  const st = readState(stateDir);
  if (st && !st.detached && st.startedBy !== process.pid && alive(st.startedBy)) return st.startedBy;
  return 0;
}

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** Spawns a process in its own process group (pgid == pid), output appended to its log. */
export function spawnRecorded(rec: Omit<ProcRecord, "pid">, detach: boolean): Proc {
  const fd = fs.openSync(rec.log, "a");
  const child = spawn(rec.bin, rec.args, {
    cwd: rec.cwd,
    env: { ...process.env, ...rec.env },
    stdio: ["ignore", fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${rec.name} (${rec.bin})`);
  const p: Proc = { ...rec, pid: child.pid, exit: null };
  child.on("exit", (code, signal) => {
    p.exit = signal ?? `code ${code}`;
  });
  child.on("error", (err) => {
    p.exit = err.message;
  });
  if (detach) child.unref();
  return p;
}

export const recordOf = ({ exit: _, ...rec }: Proc): ProcRecord => rec;

/** Starts and records the processes of one environment. */
export class Supervisor {
  readonly procs: Proc[] = [];

  constructor(
    readonly state: StateFile,
    readonly logDir: string,
    private readonly detach: boolean,
  ) {}

  start(name: string, bin: string, args: string[], opts: StartOptions = {}): Proc {
    const log = path.join(this.logDir, `${name}.log`);
    const p = spawnRecorded(
      { name, bin, args, log, cwd: opts.cwd ?? this.state.tmpDir, env: opts.env ?? {} },
      this.detach,
    );
    this.procs.push(p);
    this.state.processes.push(recordOf(p));
    writeState(this.state);
    return p;
  }

  /** Recorded processes, including ones restarted by other processes (startApiserver). */
  all(): ProcRecord[] {
    const recorded = readState(this.state.stateDir)?.processes ?? [];
    return [...this.procs, ...recorded.filter((r) => !this.procs.some((p) => p.pid === r.pid))];
  }
}
