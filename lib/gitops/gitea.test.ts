import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ForgeUnavailableError, MergeConflictError, WebhookSignatureError } from "./errors";
import { GiteaProvider } from "./gitea";
import { fixture, startForgeServer } from "./testing/forge-server";
import { hmacSha256Hex } from "./webhook";

const R = "/api/v1/repos/platform/gitops";
const MAIN = "c5ed5d5f6a1b4b9f1e9d9b6a2e7c0f3a4b5c6d7e";
const HEAD = "0b5e4e1c1f2a3d4c5b6a7980f1e2d3c4b5a69788";
const author = { name: "Ada Tenant", email: "ada@example.test" };

describe("Gitea provider contract", () => {
  let server: Awaited<ReturnType<typeof startForgeServer>>;
  let gt: GiteaProvider;
  beforeAll(async () => {
    server = await startForgeServer({ sharedHeaders: { authorization: "token gitea-test-token" } });
    gt = new GiteaProvider({
      url: server.url,
      token: "gitea-test-token",
      owner: "platform",
      repo: "gitops",
      baseBranch: "main",
      mergeRetry: { attempts: 2, delayMs: 1 },
    });
  });
  afterEach(() => server.assertDone());
  afterAll(() => server.close());

  it("commits many files in one commit with the change-files endpoint (new branch)", async () => {
    server.expect(
      { method: "GET", path: `${R}/branches/main`, reply: fixture("gitea/branch") },
      { method: "GET", path: `${R}/branches/berth/team-a`, status: 404, reply: fixture("gitea/not-found") },
      {
        method: "GET",
        path: `${R}/git/trees/${MAIN}`,
        query: { recursive: "true", page: "1" },
        reply: fixture("gitea/tree"),
      },
      {
        method: "POST",
        path: `${R}/contents`,
        headers: { "content-type": "application/json" },
        body: {
          branch: "main",
          new_branch: "berth/team-a",
          message: "Add tenant a",
          author,
          files: [
            {
              operation: "create",
              path: "tenants/a/ns.yaml",
              content: Buffer.from("kind: Namespace\n").toString("base64"),
            },
            { operation: "delete", path: "tenants/old/ns.yaml", sha: "3bd1f0e29744a1f32b08d5650e62e2e62afb177c" },
          ],
        },
        status: 201,
        reply: fixture("gitea/files-response"),
      },
    );
    const r = await gt.commitFiles({
      branch: "berth/team-a",
      base: "main",
      message: "Add tenant a",
      author,
      changes: [
        { path: "tenants/a/ns.yaml", content: "kind: Namespace\n" },
        { path: "tenants/old/", delete: true },
      ],
    });
    expect(r.commitSha).toBe(HEAD);
  });

  it("opens a pull request with label ids (creating missing labels), then returns the open one", async () => {
    const list = { method: "GET", path: `${R}/pulls`, query: { state: "all", limit: "50", page: "1" } };
    server.expect(
      { ...list, reply: [] },
      { method: "GET", path: `${R}/branches/berth/team-a`, reply: fixture("gitea/branch") },
      { method: "GET", path: `${R}/labels`, reply: fixture("gitea/labels") },
      {
        method: "POST",
        path: `${R}/labels`,
        body: { name: "team-a", color: "#0e8a16", description: "Added by Berth" },
        status: 201,
        reply: fixture("gitea/label-created"),
      },
      {
        method: "POST",
        path: `${R}/pulls`,
        body: {
          head: "berth/team-a",
          base: "main",
          title: "Request berth/team-a",
          body: "Opened by Berth",
          labels: [4, 5],
        },
        status: 201,
        reply: fixture("gitea/pull"),
      },
      {
        ...list,
        reply: [fixture("gitea/pull", { number: 2, head: { ref: "berth/other", sha: MAIN } }), fixture("gitea/pull")],
      },
    );
    const req = {
      head: "berth/team-a",
      base: "main",
      title: "Request berth/team-a",
      body: "Opened by Berth",
      labels: ["berth", "team-a"],
    };
    const first = await gt.openPullRequest(req);
    expect(first).toEqual({
      number: 3,
      url: "https://gitea.example.com/platform/gitops/pulls/3",
      state: "open",
      headBranch: "berth/team-a",
      headSha: HEAD,
      mergeCommitSha: null,
    });
    expect(await gt.openPullRequest(req)).toEqual(first);
  });

  it("merges with Do=merge and is idempotent once merged", async () => {
    const merged = fixture("gitea/pull", {
      state: "closed",
      merged: true,
      merge_commit_sha: "5f0e8d2a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e",
    });
    server.expect(
      { method: "GET", path: `${R}/pulls/3`, reply: fixture("gitea/pull") },
      {
        method: "POST",
        path: `${R}/pulls/3/merge`,
        body: { Do: "merge", merge_message_field: "Merge request #3", head_commit_id: HEAD },
      },
      { method: "GET", path: `${R}/pulls/3`, reply: merged },
      { method: "GET", path: `${R}/pulls/3`, reply: merged },
    );
    expect(await gt.mergePullRequest(3, { message: "Merge request #3" })).toEqual({
      mergeCommitSha: "5f0e8d2a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e",
    });
    expect(await gt.mergePullRequest(3, { message: "again" })).toEqual({
      mergeCommitSha: "5f0e8d2a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e",
    });
  });

  it("turns a merge that stays refused (405) into MergeConflictError after the retries", async () => {
    const conflicted = fixture("gitea/pull", { mergeable: false });
    const refused = {
      method: "POST",
      path: `${R}/pulls/3/merge`,
      status: 405,
      reply: fixture("gitea/merge-not-mergeable"),
    };
    server.expect(
      { method: "GET", path: `${R}/pulls/3`, reply: conflicted },
      refused,
      { method: "GET", path: `${R}/pulls/3`, reply: conflicted },
      refused,
    );
    await expect(gt.mergePullRequest(3, { message: "m" })).rejects.toBeInstanceOf(MergeConflictError);
  });

  it("closes, comments and reads files", async () => {
    server.expect(
      {
        method: "PATCH",
        path: `${R}/pulls/3`,
        body: { state: "closed" },
        status: 201,
        reply: fixture("gitea/pull", { state: "closed" }),
      },
      {
        method: "POST",
        path: `${R}/issues/3/comments`,
        body: { body: "Applied by Argo CD" },
        status: 201,
        reply: fixture("gitea/comment"),
      },
      {
        method: "GET",
        path: `${R}/contents/templates/namespace.yaml`,
        query: { ref: "main" },
        reply: fixture("gitea/content"),
      },
      {
        method: "GET",
        path: `${R}/contents/templates/none.yaml`,
        query: { ref: "main" },
        status: 404,
        reply: fixture("gitea/not-found"),
      },
    );
    await gt.closePullRequest(3);
    await gt.comment(3, "Applied by Argo CD");
    expect(await gt.readFile({ path: "templates/namespace.yaml", ref: "main" })).toBe("kind: Namespace\n");
    expect(await gt.readFile({ path: "templates/none.yaml", ref: "main" })).toBeNull();
  });

  it("reports a 5xx or a refused connection as ForgeUnavailableError", async () => {
    server.expect({ method: "GET", path: `${R}/pulls/7`, status: 502, reply: { message: "Bad Gateway" } });
    await expect(gt.getPullRequest(7)).rejects.toBeInstanceOf(ForgeUnavailableError);
    const down = new GiteaProvider({
      url: "http://127.0.0.1:1",
      token: "t",
      owner: "o",
      repo: "r",
      baseBranch: "main",
    });
    await expect(down.getPullRequest(1)).rejects.toBeInstanceOf(ForgeUnavailableError);
  });

  it("verifies webhooks: good signature, bad signature, other events", () => {
    const raw = JSON.stringify(fixture("gitea/webhook-pull-request-closed"));
    const headers = (sig: string, event = "pull_request") =>
      new Headers({ "x-gitea-event": event, "x-gitea-signature": sig });
    const good = hmacSha256Hex("s3cret", raw);
    expect(gt.verifyWebhook({ headers: headers(good), rawBody: raw, secret: "s3cret" })).toEqual({
      kind: "pull_request",
      action: "merged",
      number: 3,
      headBranch: "berth/team-a",
      mergeCommitSha: "5f0e8d2a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e",
    });
    expect(() =>
      gt.verifyWebhook({ headers: headers(hmacSha256Hex("other", raw)), rawBody: raw, secret: "s3cret" }),
    ).toThrow(WebhookSignatureError);
    expect(() =>
      gt.verifyWebhook({
        headers: headers(good),
        rawBody: raw.replace("berth/team-a", "berth/team-b"),
        secret: "s3cret",
      }),
    ).toThrow(WebhookSignatureError);
    expect(gt.verifyWebhook({ headers: headers(good, "push"), rawBody: raw, secret: "s3cret" })).toBeNull();
  });
});
