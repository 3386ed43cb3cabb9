// A loopback HTTP server for the forge contract tests: it expects a scripted sequence of
// requests, checks each one's method, path, query, headers and JSON body against what the
// forge documents, and answers with the documented response fixture.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";

export type Expectation = {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string | RegExp>;
  /** The exact JSON body, or a check that throws (e.g. with expect) when the body is wrong. */
  body?: unknown;
  check?: (body: unknown) => void;
  status?: number;
  reply?: unknown;
  replyHeaders?: Record<string, string>;
};

export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
};

/**
 * The "example" of lib/gitops/fixtures/<name>.json (its "$comment" names the doc page it
 * follows), with top-level fields replaced by `overrides`.
 */
export function fixture<T = Record<string, unknown>>(name: string, overrides: Record<string, unknown> = {}): T {
  const raw = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "fixtures", `${name}.json`), "utf8"));
  const example: unknown = raw.example;
  return (Array.isArray(example) ? example : { ...(example as object), ...overrides }) as T;
}

export async function startForgeServer(opts: { sharedHeaders?: Record<string, string | RegExp> } = {}) {
  const queue: Expectation[] = [];
  const problems: string[] = [];
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* keep the text */
      }
      // Compared decoded: forges accept "a%2Fb" and "a/b" alike in file paths.
      const got: RecordedRequest = {
        method: req.method ?? "",
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      };
      requests.push(got);
      const exp = queue.shift();
      const wrong = exp ? mismatch(exp, got, opts.sharedHeaders ?? {}) : `unexpected request ${got.method} ${got.path}`;
      if (wrong || !exp) {
        problems.push(wrong ?? "");
        res
          .writeHead(418, { "content-type": "application/json" })
          .end(JSON.stringify({ message: `contract mismatch: ${wrong}` }));
        return;
      }
      const status = exp.status ?? 200;
      const payload = exp.reply === undefined ? "" : JSON.stringify(exp.reply);
      res
        .writeHead(status, {
          ...(payload ? { "content-type": "application/json; charset=utf-8" } : {}),
          ...exp.replyHeaders,
        })
        .end(payload);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    expect(...exps: Expectation[]) {
      queue.push(...exps);
    },
    /** Every scripted request arrived, in order, and matched its contract. */
    assertDone() {
      const left = queue.splice(0).map((e) => `${e.method} ${e.path}`);
      const all = [...problems.splice(0), ...left.map((l) => `expected but not received: ${l}`)];
      if (all.length) throw new Error(`forge contract broken:\n  ${all.join("\n  ")}`);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function mismatch(exp: Expectation, got: RecordedRequest, shared: Record<string, string | RegExp>): string | null {
  const where = `${exp.method} ${exp.path}`;
  if (got.method !== exp.method || got.path !== exp.path) return `expected ${where}, got ${got.method} ${got.path}`;
  for (const [k, v] of Object.entries(exp.query ?? {})) {
    if (got.query[k] !== v) return `${where}: query ${k}=${got.query[k]}, expected ${v}`;
  }
  for (const [k, v] of Object.entries({ ...shared, ...exp.headers })) {
    const h = String(got.headers[k.toLowerCase()] ?? "");
    if (typeof v === "string" ? h !== v : !v.test(h))
      return `${where}: header ${k}=${JSON.stringify(h)}, expected ${String(v)}`;
  }
  if (exp.body !== undefined && !isDeepStrictEqual(got.body, exp.body)) {
    return `${where}: body ${JSON.stringify(got.body)}, expected ${JSON.stringify(exp.body)}`;
  }
  try {
    exp.check?.(got.body);
  } catch (err) {
    return `${where}: ${(err as Error).message}`;
  }
  return null;
}
