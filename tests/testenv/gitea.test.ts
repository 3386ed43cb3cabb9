// Smoke test: the real Gitea of the test environment (admin token, platform/gitops,
// branch -> pull request -> merge, and a signed webhook delivered to a local listener).
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, gitea, loadTestEnv, type TestEnv } from "./env";

const env: TestEnv = loadTestEnv();
const repo = `/repos/${env.gitea.repo}`;

interface Delivery {
  event: string | undefined;
  signature: string | undefined;
  raw: Buffer;
  // The parts of Gitea's webhook payloads these tests read.
  body: {
    action?: string;
    ref?: string;
    pull_request?: { number?: number; merged?: boolean };
    repository?: { full_name?: string };
  };
}

describe("gitea", () => {
  const secret = crypto.randomBytes(16).toString("hex");
  const deliveries: Delivery[] = [];
  let server: http.Server;
  let hookId: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        deliveries.push({
          event: req.headers["x-gitea-event"] as string | undefined,
          signature: req.headers["x-gitea-signature"] as string | undefined,
          raw,
          body: JSON.parse(raw.toString("utf8")),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const hook = await gitea<{ id: number }>(env, `${repo}/hooks`, {
      method: "POST",
      body: {
        type: "gitea",
        active: true,
        events: ["push", "pull_request"],
        branch_filter: "*",
        config: { url: `http://127.0.0.1:${port}/hook`, content_type: "json", secret },
      },
    });
    expect(hook.status, hook.text).toBe(201);
    hookId = hook.json.id;
  });

  afterAll(async () => {
    if (hookId) await gitea(env, `${repo}/hooks/${hookId}`, { method: "DELETE" });
    await new Promise((r) => server?.close(r));
  });

  it("has an admin token and the initialised platform/gitops repository", async () => {
    const me = await gitea<{ login: string; is_admin: boolean }>(env, "/user");
    expect(me.status, me.text).toBe(200);
    expect(me.json).toMatchObject({ login: env.gitea.admin.username, is_admin: true });

    const r = await gitea<{ full_name: string; default_branch: string; empty: boolean }>(env, repo);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ full_name: "platform/gitops", default_branch: "main", empty: false });
    const readme = await gitea(env, `${repo}/contents/README.md?ref=main`);
    expect(readme.status, readme.text).toBe(200);
  });

  it("creates a branch and a pull request, merges it and delivers a signed webhook", async () => {
    const branch = `berth/smoke-${crypto.randomBytes(3).toString("hex")}`;
    const b = await gitea(env, `${repo}/branches`, {
      method: "POST",
      body: { new_branch_name: branch, old_branch_name: "main" },
    });
    expect(b.status, b.text).toBe(201);

    const file = `tenants/${branch.split("/")[1]}/namespace.yaml`;
    const content = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${branch.split("/")[1]}\n`;
    const c = await gitea(env, `${repo}/contents/${file}`, {
      method: "POST",
      body: { branch, message: "Add tenant namespace", content: Buffer.from(content).toString("base64") },
    });
    expect(c.status, c.text).toBe(201);

    const pr = await gitea<{ number: number }>(env, `${repo}/pulls`, {
      method: "POST",
      body: { head: branch, base: "main", title: `Tenant request ${branch}`, body: "Opened by the Berth smoke test." },
    });
    expect(pr.status, pr.text).toBe(201);
    const n = pr.json.number;

    // Gitea checks mergeability in the background; merging before that answers 405.
    await eventually("pull request mergeable", async () => {
      const p = await gitea<{ mergeable: boolean }>(env, `${repo}/pulls/${n}`);
      return p.json.mergeable;
    });
    await eventually("merge", async () => {
      const m = await gitea(env, `${repo}/pulls/${n}/merge`, {
        method: "POST",
        body: { Do: "merge", merge_message_field: `Merge tenant request #${n}` },
      });
      return m.status === 200;
    });
    const merged = await gitea<{ merged: boolean; state: string }>(env, `${repo}/pulls/${n}`);
    expect(merged.json).toMatchObject({ merged: true, state: "closed" });
    const onMain = await gitea(env, `${repo}/contents/${file}?ref=main`);
    expect(onMain.status, onMain.text).toBe(200);

    const d = await eventually(
      "merged pull_request webhook",
      async () =>
        deliveries.find(
          (x) => x.event === "pull_request" && x.body.action === "closed" && x.body.pull_request?.number === n,
        ),
      30_000,
    );
    expect(d.body.pull_request?.merged).toBe(true);
    expect(d.body.repository?.full_name).toBe("platform/gitops");
    const expected = crypto.createHmac("sha256", secret).update(d.raw).digest("hex");
    expect(d.signature).toBe(expected);
    const wrong = crypto.createHmac("sha256", "not-the-secret").update(d.raw).digest("hex");
    expect(d.signature).not.toBe(wrong);

    // The merge also pushed to main.
    const push = await eventually("push webhook for main", async () =>
      deliveries.find((x) => x.event === "push" && x.body.ref === "refs/heads/main"),
    );
    expect(crypto.createHmac("sha256", secret).update(push.raw).digest("hex")).toBe(push.signature);
  });
});
