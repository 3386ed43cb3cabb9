import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

/**
 * Builds (Go's build cache makes a rebuild take a second) and runs one of the small Go programs in
 * testenv/ that check rendered objects with an upstream project's own code. Input and output are JSON.
 */
export function runGoChecker<T>(name: string, input: unknown): T {
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "berth", "upstream");
  mkdirSync(cache, { recursive: true });
  const bin = path.join(cache, name);
  execFileSync("nice", ["-n", "10", "go", "build", "-trimpath", "-o", bin, "."], {
    cwd: path.join(ROOT, "testenv", name),
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 15 * 60_000,
  });
  const out = execFileSync(bin, [], { input: JSON.stringify(input), encoding: "utf8", timeout: 60_000 });
  return JSON.parse(out) as T;
}
