// Build and cache: each missing component is built into a temporary folder that is renamed into
// place when it succeeds, so an interrupted build never leaves a half cache entry.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { type Component, components } from "./components";
import { goVersion, loggedRunner } from "./go";
import { alive } from "./processes";
import type { Builds, ComponentBuild, Log } from "./types";
import { defaultLog, makeWritable, tail } from "./util";
import { CACHE_ROOT } from "./versions";

export function isCached(c: Component): boolean {
  return fs.existsSync(c.marker) && fs.existsSync(c.path);
}

/** The cached components, or an error naming the first one that is not built. */
export function cachedBuilds(): Builds {
  const out: Builds = {};
  for (const c of components()) {
    if (!isCached(c))
      throw new Error(`${c.name} ${c.version} is not built; run: node_modules/.bin/tsx scripts/testenv/cli.ts build`);
    const { seconds } = JSON.parse(fs.readFileSync(c.marker, "utf8")) as { seconds: number };
    out[c.name] = { version: c.version, path: c.path, dir: c.dir, cached: true, seconds };
  }
  return out;
}

async function removeStaleTemps(c: Component): Promise<void> {
  await fsp.mkdir(CACHE_ROOT, { recursive: true });
  for (const e of await fsp.readdir(CACHE_ROOT)) {
    const m = e.match(/\.tmp-(\d+)$/);
    if (m && e.startsWith(`${c.name}-`) && !alive(Number(m[1]))) {
      await makeWritable(path.join(CACHE_ROOT, e)).catch(() => {});
      await fsp.rm(path.join(CACHE_ROOT, e), { recursive: true, force: true });
    }
  }
}

async function buildOne(c: Component, log: Log, built: (name: string) => string): Promise<ComponentBuild> {
  await removeStaleTemps(c);
  const tmp = `${c.dir}.tmp-${process.pid}`;
  await fsp.rm(tmp, { recursive: true, force: true });
  await fsp.mkdir(tmp, { recursive: true });
  const logFile = path.join(CACHE_ROOT, `${c.name}-${c.version}.build.log`);
  const logFd = fs.openSync(logFile, "w");
  log(`building ${c.name} ${c.version} (first run only; log: ${logFile})`);
  const started = Date.now();
  try {
    await c.build(tmp, loggedRunner(logFd), built);
    if (!fs.existsSync(path.join(tmp, c.bin))) throw new Error(`the build did not produce ${c.bin}`);
  } catch (err) {
    await makeWritable(tmp).catch(() => {});
    await fsp.rm(tmp, { recursive: true, force: true });
    throw new Error(
      `build of ${c.name} ${c.version} failed: ${(err as Error).message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`,
    );
  } finally {
    fs.closeSync(logFd);
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const record = {
    name: c.name,
    version: c.version,
    seconds,
    builtAt: new Date().toISOString(),
    go: goVersion(c.goEnv),
  };
  await fsp.writeFile(path.join(tmp, "build.json"), `${JSON.stringify(record, null, 2)}\n`);
  try {
    await fsp.rename(tmp, c.dir);
  } catch (err) {
    // Someone else finished the same build first; theirs is as good as ours.
    if (!isCached(c)) throw err;
    await makeWritable(tmp).catch(() => {});
    await fsp.rm(tmp, { recursive: true, force: true });
  }
  log(`built ${c.name} ${c.version} in ${seconds}s`);
  return { version: c.version, path: c.path, dir: c.dir, cached: false, seconds };
}

/**
 * Builds every component missing from the cache: Argo CD (the longest build, and the largest link)
 * in one lane, everything else one after another in a second lane beside it.
 */
export async function buildTestEnv(opts: { log?: Log; only?: string[] } = {}): Promise<Builds> {
  const log = opts.log ?? defaultLog;
  const result: Builds = {};
  const all = components().filter((c) => !opts.only || opts.only.includes(c.name));
  const built = (name: string) => {
    const dep = result[name] ?? components().find((c) => c.name === name && isCached(c));
    if (!dep) throw new Error(`${name} must be built first`);
    return dep.path;
  };
  const lane = async (list: Component[]) => {
    for (const c of list) {
      if (isCached(c)) {
        const { seconds } = JSON.parse(fs.readFileSync(c.marker, "utf8")) as { seconds: number };
        result[c.name] = { version: c.version, path: c.path, dir: c.dir, cached: true, seconds };
      } else {
        result[c.name] = await buildOne(c, log, built);
      }
    }
  };
  const lanes = [all.filter((c) => c.lane === "argocd"), all.filter((c) => c.lane === "main")];
  const outcomes = await Promise.allSettled(lanes.map(lane));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) throw failed.reason;
  return result;
}
