// The Gitea provider against the REAL Gitea of the test environment (scripts/testenv/):
// commit, open (twice), comment, merge, conflict, close, and a signed webhook delivered to a
// loopback listener. Needs BERTH_TESTENV_FILE (the env JSON); without it the suite FAILS.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MergeConflictError, WebhookSignatureError } from "./errors";
import { GiteaProvider } from "./gitea";

type GiteaEnv = { url: string; apiUrl: string; token: string; org: string; repo: string; defaultBranch: string };

function loadGitea(): GiteaEnv {
  const file = process.env.BERTH_TESTENV_FILE;
  if (!file) {
    throw new Error(
      "BERTH_TESTENV_FILE is not set: this suite needs the real test environment. Start it with " +
        "`node_modules/.bin/tsx scripts/testenv/cli.ts start` and set BERTH_TESTENV_FILE to the env JSON it prints.",
    );
  }
  return (JSON.parse(readFileSync(file, "utf8")) as { gitea: GiteaEnv }).gitea;
}

const env = loadGitea();
const [owner = "", repo = ""] = env.repo.split("/");
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${env.apiUrl}/repos/${env.repo}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `token ${env.token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

type Delivery = { headers: Headers; raw: string };

async function eventually<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const v = fn();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("Gitea provider against a real Gitea", () => {
  const id = randomBytes(3).toString("hex");
  const secret = randomBytes(16).toString("hex");
  const author = { name: "Ada Tenant", email: "ada@example.test" };
  const deliveries: Delivery[] = [];
  const gitea = new GiteaProvider({
    url: env.url,
    token: env.token,
    owner,
    repo,
    baseBranch: env.defaultBranch,
    mergeRetry: { attempts: 40, delayMs: 500 },
  });
  const base = env.defaultBranch;
  let server: http.Server;
  let hookId: number | undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        deliveries.push({ headers, raw: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const hook = await api("/hooks", {
      method: "POST",
      body: {
        type: "gitea",
        active: true,
        events: ["pull_request"],
        config: { url: `http://127.0.0.1:${port}/hook`, content_type: "json", secret },
      },
    });
    expect(hook.status).toBe(201);
    hookId = ((await hook.json()) as { id: number }).id;
  });

  afterAll(async () => {
    if (hookId) await api(`/hooks/${hookId}`, { method: "DELETE" });
    await new Promise((r) => server?.close(r));
  });

  it("commits, opens one pull request, comments, merges and receives a signed webhook", async () => {
    const branch = `berth/live-${id}`;
    const changes = [
      {
        path: `tenants/${id}/namespace.yaml`,
        content: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: t-${id} # $(x) \`y\`\n`,
      },
      { path: `tenants/${id}/quota.yaml`, content: "kind: ResourceQuota\n" },
    ];
    const { commitSha } = await gitea.commitFiles({ branch, base, message: `Add tenant ${id}`, author, changes });
    expect(await gitea.commitFiles({ branch, base, message: "again", author, changes })).toEqual({ commitSha });
    expect(await gitea.listFiles({ dir: `tenants/${id}`, ref: branch })).toEqual(changes.map((c) => c.path).sort());

    const req = {
      head: branch,
      base,
      title: `Tenant ${id}`,
      body: "Opened by the Berth live test",
      labels: ["berth", `live-${id}`],
    };
    const pr = await gitea.openPullRequest(req);
    expect(pr).toMatchObject({ state: "open", headBranch: branch, headSha: commitSha, mergeCommitSha: null });
    expect((await gitea.openPullRequest(req)).number).toBe(pr.number);
    expect((await gitea.findPullRequest({ head: branch }))?.number).toBe(pr.number);
    await gitea.comment(pr.number, "Plan: 2 to add");

    const { mergeCommitSha } = await gitea.mergePullRequest(pr.number, { message: `Merge tenant ${id}` });
    expect(await gitea.mergePullRequest(pr.number, { message: "again" })).toEqual({ mergeCommitSha });
    expect(await gitea.getPullRequest(pr.number)).toMatchObject({ state: "merged", mergeCommitSha });
    expect(await gitea.readFile({ path: changes[0]?.path ?? "", ref: base })).toBe(changes[0]?.content);
    expect((await gitea.openPullRequest(req)).number).toBe(pr.number);

    const d = await eventually("merged pull_request webhook", () =>
      deliveries.find((x) => {
        if (x.headers.get("x-gitea-event") !== "pull_request") return false;
        const body = JSON.parse(x.raw) as { action?: string; pull_request?: { number?: number; merged?: boolean } };
        return body.action === "closed" && body.pull_request?.number === pr.number && body.pull_request.merged === true;
      }),
    );
    expect(gitea.verifyWebhook({ headers: d.headers, rawBody: d.raw, secret })).toEqual({
      kind: "pull_request",
      action: "merged",
      number: pr.number,
      headBranch: branch,
      mergeCommitSha,
    });
    expect(() => gitea.verifyWebhook({ headers: d.headers, rawBody: d.raw, secret: "wrong" })).toThrow(
      WebhookSignatureError,
    );
  }, 90_000);

  it("refuses a conflicting merge and leaves the base branch alone", async () => {
    const path = `shared/${id}.yaml`;
    const one = `berth/live-${id}-one`;
    const two = `berth/live-${id}-two`;
    await gitea.commitFiles({
      branch: one,
      base,
      message: "one",
      author,
      changes: [{ path, content: "owner: one\n" }],
    });
    await gitea.commitFiles({
      branch: two,
      base,
      message: "two",
      author,
      changes: [{ path, content: "owner: two\n" }],
    });
    const prOne = await gitea.openPullRequest({ head: one, base, title: "one", body: "", labels: [] });
    const prTwo = await gitea.openPullRequest({ head: two, base, title: "two", body: "", labels: [] });
    await gitea.mergePullRequest(prOne.number, { message: "Merge one" });
    const mainAfterOne = await gitea.readFile({ path, ref: base });
    await expect(gitea.mergePullRequest(prTwo.number, { message: "Merge two" })).rejects.toBeInstanceOf(
      MergeConflictError,
    );
    expect(await gitea.readFile({ path, ref: base })).toBe(mainAfterOne);
    expect((await gitea.getPullRequest(prTwo.number)).state).toBe("open");
    await gitea.closePullRequest(prTwo.number);
    expect((await gitea.getPullRequest(prTwo.number)).state).toBe("closed");
  }, 90_000);
});
