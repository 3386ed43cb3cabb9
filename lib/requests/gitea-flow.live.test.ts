// The request flow against the REAL Gitea of the test environment: submit → PR → approve → merged;
// a PR merged in Gitea directly → signed webhook → merged; a forged signature changes nothing.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { requests } from "@/db/schema";
import { getDb } from "@/lib/db";
import { GiteaProvider } from "@/lib/gitops/gitea";
import { WebhookSignatureError } from "@/lib/gitops/errors";
import { startQueue, stopQueue } from "@/lib/jobs/queue";
import { loadTestEnv } from "@/tests/testenv/env";
import type { ForgeContext } from "./context";
import { approveRequest } from "./decisions";
import { submitCreateRequest } from "./submit";
import { actorOf, runJob, seedPeople, vclusterForm } from "./test-support";
import { handleForgeWebhook } from "./webhooks";

const env = loadTestEnv().gitea;
const [owner = "", repo = ""] = env.repo.split("/");
const secret = randomBytes(16).toString("hex");
const provider = new GiteaProvider({
  url: env.url,
  token: env.token,
  owner,
  repo,
  baseBranch: env.defaultBranch,
  mergeRetry: { attempts: 40, delayMs: 500 },
});
const ctx: ForgeContext = { db: getDb(), provider, baseUrl: "http://berth.test" };
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${env.apiUrl}/repos/${env.repo}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `token ${env.token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

// Stands in for /api/webhooks/gitea: the same handler, fed by Gitea's real deliveries.
const outcomes: number[] = [];
let server: http.Server;
let hookUrl = "";
let hookId: number | undefined;
let people: Awaited<ReturnType<typeof seedPeople>>;

async function deliver(headers: Headers, rawBody: string): Promise<number> {
  try {
    return (await handleForgeWebhook(ctx, { headers, rawBody, secret })).status;
  } catch (err) {
    return err instanceof WebhookSignatureError ? 401 : 500;
  }
}

beforeAll(async () => {
  await startQueue(inject("databaseUrl"));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const status = await deliver(headers, Buffer.concat(chunks).toString("utf8"));
      outcomes.push(status);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/gitea`;
  const hook = await api("/hooks", {
    method: "POST",
    body: {
      type: "gitea",
      active: true,
      events: ["pull_request"],
      config: { url: hookUrl, content_type: "json", secret },
    },
  });
  expect(hook.status).toBe(201);
  hookId = ((await hook.json()) as { id: number }).id;
});
afterAll(async () => {
  if (hookId) await api(`/hooks/${hookId}`, { method: "DELETE" });
  await new Promise((r) => server.close(r));
  await stopQueue();
});
beforeEach(async () => {
  people = await seedPeople();
});

const stateOf = async (id: string) =>
  (
    await getDb().select({ state: requests.state, pr: requests.prNumber }).from(requests).where(eq(requests.id, id))
  )[0]!;
const name = (p: string) => `${p}-${randomBytes(3).toString("hex")}`;
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const v = await fn();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("requests on a real Gitea", () => {
  it("submit → pull request in Gitea → approve in Berth → merged in Gitea, files on main", async () => {
    const tenant = name("gt");
    const { requestId } = await submitCreateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      form: vclusterForm(tenant),
    });
    await runJob(ctx, requestId);
    await runJob(ctx, requestId); // a second run finds the same PR
    const { state, pr } = await stateOf(requestId);
    expect(state).toBe("pr_open");
    const open = (await (await api(`/pulls?state=open&limit=50`)).json()) as {
      number: number;
      head: { ref: string };
    }[];
    expect(open.filter((p) => p.head.ref === `berth/request-${requestId}`).map((p) => p.number)).toEqual([pr]);
    await approveRequest(ctx, { requestId, viewer: people.admin, actor: actorOf(people.admin) });
    expect((await stateOf(requestId)).state).toBe("merged");
    expect((await provider.getPullRequest(pr!)).state).toBe("merged");
    expect(await provider.readFile({ path: `tenants/${tenant}/tenant.yaml`, ref: env.defaultBranch })).toContain(
      `name: ${tenant}`,
    );
  });

  it("a PR merged in Gitea directly reaches Berth by signed webhook; a forged one changes nothing", async () => {
    const { requestId } = await submitCreateRequest({
      db: getDb(),
      viewer: people.dev,
      actor: actorOf(people.dev),
      form: vclusterForm(name("gh")),
    });
    await runJob(ctx, requestId);
    const { pr } = await stateOf(requestId);

    const forged = JSON.stringify({
      action: "closed",
      number: pr,
      pull_request: {
        number: pr,
        merged: true,
        merge_commit_sha: "0".repeat(40),
        head: { ref: `berth/request-${requestId}` },
      },
    });
    const status = await fetch(hookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gitea-event": "pull_request",
        "x-gitea-signature": "f".repeat(64),
      },
      body: forged,
    }).then((r) => r.status);
    expect(status).toBe(401);
    expect((await stateOf(requestId)).state).toBe("pr_open");

    await until("Gitea to accept the merge", async () => {
      const res = await api(`/pulls/${pr}/merge`, { method: "POST", body: { Do: "merge" } });
      return res.ok ? true : undefined;
    });
    await until("the merged webhook", async () => ((await stateOf(requestId)).state === "merged" ? true : undefined));
    expect(outcomes).toContain(200);
  });
});
