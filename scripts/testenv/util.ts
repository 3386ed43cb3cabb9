// Small helpers shared by the test environment's modules (Node built-ins only).
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import type { HttpResponse, Log, Proc, TlsOptions } from "./types";

export const defaultLog: Log = (msg) => process.stderr.write(`[test-env] ${msg}\n`);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function randomSecret(bytes = 24): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export async function makeWritable(dir: string): Promise<void> {
  await fsp.chmod(dir, 0o755);
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await makeWritable(p);
    else if (e.isFile()) await fsp.chmod(p, (await fsp.stat(p)).mode | 0o200);
  }
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  tls?: TlsOptions;
  timeoutMs?: number;
}

/** A plain HTTP(S) request. A string or Buffer body is sent as is, anything else as JSON. */
export function request(url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const { method = "GET", body, tls, timeoutMs = 30_000 } = opts;
  const u = new URL(url);
  const mod = u.protocol === "https:" ? https : http;
  const payload =
    body === undefined ? undefined : typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string | number> = { ...opts.headers };
  if (payload !== undefined) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method, headers, ...tls, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Fail at once, with its log, when this process exits while waiting. */
  proc?: Proc;
}

/** Polls fn until it returns something truthy; never a blind sleep. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | false | null | undefined>,
  opts: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 120_000, intervalMs = 250, proc } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastErr: Error | undefined;
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
      lastErr = err as Error;
    }
    if (Date.now() > deadline) {
      const extra = proc ? `\n--- ${proc.log} (tail) ---\n${tail(proc.log)}` : "";
      throw new Error(`timed out waiting for ${what}${lastErr ? ` (last error: ${lastErr.message})` : ""}${extra}`);
    }
    await sleep(intervalMs);
  }
}

/** Resolves when a line matching re appears in the process's log (its first log lines as readiness). */
export function waitForLogLine(proc: Proc, re: RegExp, what: string, timeoutMs = 120_000): Promise<true> {
  return waitFor(what, async () => re.test(fs.readFileSync(proc.log, "utf8")), { proc, timeoutMs, intervalMs: 100 });
}
