import "server-only";
import { forgeError } from "./errors";

// A small JSON-over-fetch client for the forges without an SDK here (Gitea, Azure DevOps).
// Every failure becomes ForgeUnavailableError (retry) or ForgeRequestError (do not retry).

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type JsonResponse<T> = { status: number; body: T };

export type JsonClient = <T = unknown>(
  method: string,
  path: string,
  opts?: { body?: unknown; query?: Record<string, string | number | undefined>; allow?: number[] },
) => Promise<JsonResponse<T>>;

export function createJsonClient(opts: {
  /** Base URL that `path` is appended to, without a trailing slash. */
  baseUrl: string;
  headers: Record<string, string>;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Extra query parameters on every request (Azure DevOps: api-version). */
  query?: Record<string, string>;
}): JsonClient {
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return async (method, path, { body, query, allow = [] } = {}) => {
    const url = new URL(opts.baseUrl + path);
    for (const [k, v] of Object.entries({ ...opts.query, ...query }))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${method} ${url.pathname}`;
    let res: Response;
    try {
      res = await doFetch(url.toString(), {
        method,
        headers: {
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...opts.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (err) {
      throw forgeError(what, undefined, (err as Error).message, err);
    }
    const text = await res.text().catch(() => "");
    if (!res.ok && !allow.includes(res.status)) throw forgeError(what, res.status, text);
    let parsed: unknown;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Proxies in front of a forge answer HTML pages; treat a 2xx that is not JSON as an outage.
        if (res.ok) throw forgeError(what, 502, `expected JSON, got: ${text.slice(0, 100)}`);
        parsed = text;
      }
    }
    return { status: res.status, body: parsed as never };
  };
}

/** Encodes each segment of a repository path for use in a URL path. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
