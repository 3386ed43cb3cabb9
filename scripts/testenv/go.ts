// Running the Go toolchain for builds: logged, niced, one package at a time unless GOFLAGS says otherwise.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Resolve with stdout instead of writing it to the log. */
  capture?: boolean;
  nice?: boolean;
}

export type Runner = (cmd: string, args: string[], opts: RunOptions) => Promise<string>;

let niceAvailable: boolean | undefined;
function hasNice(): boolean {
  if (niceAvailable === undefined) {
    try {
      execFileSync("nice", ["-n", "0", "true"], { stdio: "ignore" });
      niceAvailable = true;
    } catch {
      niceAvailable = false;
    }
  }
  return niceAvailable;
}

/** A Runner writing the command line and its output to logFd. */
export function loggedRunner(logFd: number): Runner {
  return (cmd, args, { cwd, env = {}, capture = false, nice = true }) =>
    new Promise((resolve, reject) => {
      const fullEnv: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: process.env.GOFLAGS ?? "-p=1", ...env };
      if (env.GOFLAGS && process.env.GOFLAGS) fullEnv.GOFLAGS = `${process.env.GOFLAGS} ${env.GOFLAGS}`;
      const [file, argv] = nice && hasNice() ? ["nice", ["-n", "10", cmd, ...args]] : [cmd, args];
      const shown = argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ");
      fs.writeSync(logFd, `$ (cd ${cwd} && ${file} ${shown})\n`);
      const child = spawn(file, argv, { cwd, env: fullEnv, stdio: ["ignore", capture ? "pipe" : logFd, logFd] });
      let out = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d;
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (code === 0) resolve(out);
        else reject(new Error(`${cmd} ${args.slice(0, 2).join(" ")} exited with ${signal ?? code}`));
      });
    });
}

/** Downloads module@version into the module cache (verified against the checksum database); returns its folder. */
export async function goModDownload(
  run: Runner,
  mod: string,
  version: string,
  env: Record<string, string> = {},
): Promise<string> {
  const out = await run("go", ["mod", "download", "-json", `${mod}@${version}`], {
    cwd: os.tmpdir(),
    capture: true,
    nice: false,
    env: { GOFLAGS: "-mod=mod", ...env },
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (info.Error || !info.Dir) throw new Error(`go mod download ${mod}@${version}: ${info.Error ?? "no Dir"}`);
  return info.Dir;
}

/** -ldflags that make a Kubernetes binary report its real version (as the release build does). */
export function k8sVersionLdflags(version: string): string {
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

export function goVersion(env: Record<string, string> = {}): string {
  return execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8", env: { ...process.env, ...env } }).trim();
}
