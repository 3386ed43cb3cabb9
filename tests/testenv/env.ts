// Helpers for tests that run against the real test environment (scripts/testenv/).
// The environment's addresses and credentials come from the JSON file named by
// BERTH_TESTENV_FILE (set by tests/testenv/global-setup.ts, or by hand after
// `node_modules/.bin/tsx scripts/testenv/cli.ts start`). Its shape is TestEnv in scripts/testenv/types.ts.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { TestEnv } from "../../scripts/testenv/types";

export type { TestEnv } from "../../scripts/testenv/types";

// API JSON as the tests read it; a test that cares names the type (kube<MyType>(...)).
// biome-ignore lint/suspicious/noExplicitAny: untyped API JSON by default, narrowed by callers
type Json = any;

export function loadTestEnv(): TestEnv {
  const file = process.env.BERTH_TESTENV_FILE;
  if (!file) {
    throw new Error(
      "BERTH_TESTENV_FILE is not set: run through tests/testenv/global-setup.ts or `node_modules/.bin/tsx scripts/testenv/cli.ts start`",
    );
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as TestEnv;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: T;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Kubernetes auth: the admin client cert (default), the admin static token, a bearer token, or none. */
  auth?: "cert" | "token" | { bearer: string } | "none";
}

function send<T>(url: string, opts: RequestOptions, tls: https.RequestOptions = {}): Promise<HttpResult<T>> {
  const u = new URL(url);
  const payload =
    opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string | number> = { accept: "application/json", ...opts.headers };
  if (payload !== undefined) {
    headers["content-type"] = opts.contentType ?? "application/json";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  const mod = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method: opts.method ?? "GET", headers, agent: false, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: json as T });
      });
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function kubeTls(
  env: TestEnv,
  auth: RequestOptions["auth"] = "cert",
): { tls: https.RequestOptions; headers: Record<string, string> } {
  const tls: https.RequestOptions = { ca: env.kubernetes.ca };
  const headers: Record<string, string> = {};
  if (auth === "cert") Object.assign(tls, { cert: env.kubernetes.cert, key: env.kubernetes.key });
  else if (auth === "token") headers.authorization = `Bearer ${env.kubernetes.token}`;
  else if (auth && typeof auth === "object") headers.authorization = `Bearer ${auth.bearer}`;
  return { tls, headers };
}

/** A request to the kube-apiserver (path relative to the server URL). */
export function kube<T = Json>(env: TestEnv, path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
  const { tls, headers } = kubeTls(env, opts.auth);
  return send<T>(env.kubernetes.server + path, { ...opts, headers: { ...headers, ...opts.headers } }, tls);
}

/** A request to the Gitea API v1 as the admin (path relative to /api/v1). */
export function gitea<T = Json>(env: TestEnv, path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
  return send<T>(env.gitea.apiUrl + path, {
    ...opts,
    headers: { authorization: `token ${env.gitea.token}`, ...opts.headers },
  });
}

export interface WatchEvent<T = Json> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

export interface Watch<T = Json> {
  events: WatchEvent<T>[];
  /** Resolves with the first event (already received or future) matching the predicate. */
  next(pred: (e: WatchEvent<T>) => boolean, timeoutMs?: number): Promise<WatchEvent<T>>;
  close(): void;
}

/** Opens a Kubernetes watch (`?watch=1`) and collects its events. Resolves once the stream is open. */
export function watch<T = Json>(env: TestEnv, path: string, resourceVersion?: string): Promise<Watch<T>> {
  const { tls } = kubeTls(env, "cert");
  const u = new URL(env.kubernetes.server + path);
  u.searchParams.set("watch", "1");
  if (resourceVersion) u.searchParams.set("resourceVersion", resourceVersion);
  const events: WatchEvent<T>[] = [];
  const waiters: { pred: (e: WatchEvent<T>) => boolean; resolve: (e: WatchEvent<T>) => void }[] = [];
  return new Promise((resolve, reject) => {
    const req = https.request(u, { ...tls, agent: false, headers: { accept: "application/json" } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line) as WatchEvent<T>;
          events.push(ev);
          for (const w of [...waiters]) {
            if (w.pred(ev)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(ev);
            }
          }
        }
      });
      res.on("error", () => {});
      resolve({
        events,
        next(pred, timeoutMs = 20_000) {
          const seen = events.find(pred);
          if (seen) return Promise.resolve(seen);
          return new Promise((res2, rej2) => {
            const w = {
              pred,
              resolve: (e: WatchEvent<T>) => {
                clearTimeout(timer);
                res2(e);
              },
            };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej2(
                new Error(
                  `watch ${path}: no matching event within ${timeoutMs}ms; got ${events.map((e) => e.type).join(",")}`,
                ),
              );
            }, timeoutMs);
            waiters.push(w);
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on("error", (err) => reject(err));
    req.end();
  });
}

export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out: ${what}${last ? ` (${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops the test environment's kube-apiserver (etcd and the data stay): clients see the cluster go away. */
// Loaded on use: the process modules reach Berth's server-only placement schema, which the
// Playwright specs importing this file cannot load (only Vitest aliases the marker).
export async function stopApiserver(env: TestEnv): Promise<void> {
  const { stopApiserver: stop } = await import("../../scripts/testenv/index");
  return stop({ envFile: env.envFile, log: () => {} });
}

/** Starts it again on the same port and certificates, so every kubeconfig stays valid. */
export async function startApiserver(env: TestEnv): Promise<void> {
  const { startApiserver: start } = await import("../../scripts/testenv/index");
  return start({ envFile: env.envFile, log: () => {} });
}
