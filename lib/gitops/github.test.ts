import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ForgeUnavailableError, MergeConflictError, WebhookSignatureError } from "./errors";
import { GitHubProvider } from "./github";
import { gitBlobSha } from "./plan";
import { fixture, startForgeServer } from "./testing/forge-server";
import { hmacSha256Hex } from "./webhook";

const R = "/repos/octocat/Hello-World";
const MAIN = "aa218f56b14c9653891f9e74264a383fa43fefbd";
const AUTH = { authorization: "token ghp_test" };
const author = { name: "Ada Tenant", email: "ada@example.test" };
const tree = (entries: [string, string][]) =>
  fixture("github/tree", {
    tree: entries.map(([path, sha]) => ({ path, mode: "100644", type: "blob", sha, size: 1, url: "x" })),
  });

describe("GitHub provider contract", () => {
  let server: Awaited<ReturnType<typeof startForgeServer>>;
  let gh: GitHubProvider;
  beforeAll(async () => {
    server = await startForgeServer({ sharedHeaders: { ...AUTH, accept: /application\/vnd\.github/ } });
    gh = new GitHubProvider({
      apiUrl: server.url,
      token: "ghp_test",
      owner: "octocat",
      repo: "Hello-World",
      baseBranch: "main",
    });
  });
  afterEach(() => server.assertDone());
  afterAll(() => server.close());

  it("commits many files in one commit on a new branch (blobs, tree, commit, ref)", async () => {
    server.expect(
      { method: "GET", path: `${R}/git/ref/heads/main`, reply: fixture("github/ref") },
      { method: "GET", path: `${R}/git/ref/heads/berth/team-a`, status: 404, reply: fixture("github/ref-not-found") },
      { method: "GET", path: `${R}/git/trees/${MAIN}`, query: { recursive: "true" }, reply: fixture("github/tree") },
      {
        method: "POST",
        path: `${R}/git/blobs`,
        body: { content: Buffer.from("kind: Namespace\n").toString("base64"), encoding: "base64" },
        status: 201,
        reply: fixture("github/blob-created"),
      },
      { method: "GET", path: `${R}/git/commits/${MAIN}`, reply: fixture("github/commit") },
      {
        method: "POST",
        path: `${R}/git/trees`,
        body: {
          base_tree: "691272480426f78a0138979dd3ce63b77f706feb",
          tree: [
            {
              path: "tenants/a/ns.yaml",
              mode: "100644",
              type: "blob",
              sha: "3a0f86fb8db8eea7ccbb9a95f325ddbedfb25e15",
            },
            { path: "tenants/old/ns.yaml", mode: "100644", type: "blob", sha: null },
          ],
        },
        status: 201,
        reply: fixture("github/tree-created"),
      },
      {
        method: "POST",
        path: `${R}/git/commits`,
        body: { message: "Add tenant a", tree: "cd8274d15fa3ae2ab983129fb037999f264ba9a7", parents: [MAIN], author },
        status: 201,
        reply: fixture("github/commit-created"),
      },
      {
        method: "POST",
        path: `${R}/git/refs`,
        body: { ref: "refs/heads/berth/team-a", sha: "7638417db6d59f3c431d3e1f261cc637155684cd" },
        status: 201,
        reply: fixture("github/ref-created"),
      },
    );
    const r = await gh.commitFiles({
      branch: "berth/team-a",
      base: "main",
      message: "Add tenant a",
      author,
      changes: [
        { path: "tenants/a/ns.yaml", content: "kind: Namespace\n" },
        { path: "tenants/old/", delete: true },
      ],
    });
    expect(r.commitSha).toBe("7638417db6d59f3c431d3e1f261cc637155684cd");
  });

  it("makes no commit when the branch tip already has the content", async () => {
    const tip = "7638417db6d59f3c431d3e1f261cc637155684cd";
    server.expect(
      { method: "GET", path: `${R}/git/ref/heads/main`, reply: fixture("github/ref") },
      { method: "GET", path: `${R}/git/ref/heads/berth/team-a`, reply: fixture("github/ref-created") },
      {
        method: "GET",
        path: `${R}/git/trees/${tip}`,
        reply: tree([["tenants/a/ns.yaml", gitBlobSha("kind: Namespace\n")]]),
      },
    );
    const r = await gh.commitFiles({
      branch: "berth/team-a",
      base: "main",
      message: "m",
      author,
      changes: [{ path: "tenants/a/ns.yaml", content: "kind: Namespace\n" }],
    });
    expect(r.commitSha).toBe(tip);
  });

  it("opens a pull request with labels, and returns the open one instead of a second", async () => {
    const list = {
      method: "GET",
      path: `${R}/pulls`,
      query: { head: "octocat:berth/team-a", state: "all", per_page: "100" },
    };
    server.expect(
      { ...list, reply: [] },
      { method: "GET", path: `${R}/git/ref/heads/berth/team-a`, reply: fixture("github/ref-created") },
      {
        method: "POST",
        path: `${R}/pulls`,
        body: { head: "berth/team-a", base: "main", title: "Request berth/team-a", body: "Opened by Berth" },
        status: 201,
        reply: fixture("github/pull"),
      },
      { method: "POST", path: `${R}/issues/1347/labels`, body: { labels: ["berth"] }, reply: fixture("github/labels") },
      { ...list, reply: [fixture("github/pull")] },
    );
    const req = {
      head: "berth/team-a",
      base: "main",
      title: "Request berth/team-a",
      body: "Opened by Berth",
      labels: ["berth"],
    };
    const first = await gh.openPullRequest(req);
    expect(first).toEqual({
      number: 1347,
      url: "https://github.com/octocat/Hello-World/pull/1347",
      state: "open",
      headBranch: "berth/team-a",
      headSha: "7638417db6d59f3c431d3e1f261cc637155684cd",
      mergeCommitSha: null,
    });
    expect(await gh.openPullRequest(req)).toEqual(first);
  });

  it("merges with a merge commit, and is idempotent once merged", async () => {
    const merged = fixture("github/pull", {
      state: "closed",
      merged: true,
      merged_at: "2011-01-26T19:05:12Z",
      merge_commit_sha: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    });
    server.expect(
      { method: "GET", path: `${R}/pulls/1347`, reply: fixture("github/pull") },
      {
        method: "PUT",
        path: `${R}/pulls/1347/merge`,
        body: { merge_method: "merge", commit_title: "Merge request", commit_message: "Approved by Ada" },
        reply: fixture("github/merge"),
      },
      { method: "GET", path: `${R}/pulls/1347`, reply: merged },
    );
    expect(await gh.mergePullRequest(1347, { message: "Merge request\n\nApproved by Ada" })).toEqual({
      mergeCommitSha: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    });
    expect(await gh.mergePullRequest(1347, { message: "again" })).toEqual({
      mergeCommitSha: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    });
  });

  it("turns 405 not mergeable into MergeConflictError", async () => {
    server.expect(
      {
        method: "GET",
        path: `${R}/pulls/1347`,
        reply: fixture("github/pull", { mergeable: false, mergeable_state: "dirty" }),
      },
      { method: "PUT", path: `${R}/pulls/1347/merge`, status: 405, reply: fixture("github/merge-not-mergeable") },
    );
    await expect(gh.mergePullRequest(1347, { message: "m" })).rejects.toBeInstanceOf(MergeConflictError);
  });

  it("closes, comments and reads files", async () => {
    server.expect(
      {
        method: "PATCH",
        path: `${R}/pulls/1347`,
        body: { state: "closed" },
        reply: fixture("github/pull", { state: "closed" }),
      },
      {
        method: "POST",
        path: `${R}/issues/1347/comments`,
        body: { body: "Applied by Argo CD" },
        status: 201,
        reply: fixture("github/comment"),
      },
      {
        method: "GET",
        path: `${R}/contents/templates/namespace.yaml`,
        query: { ref: "main" },
        reply: fixture("github/content"),
      },
      { method: "GET", path: `${R}/contents/templates/none.yaml`, status: 404, reply: fixture("github/ref-not-found") },
    );
    await gh.closePullRequest(1347);
    await gh.comment(1347, "Applied by Argo CD");
    expect(await gh.readFile({ path: "templates/namespace.yaml", ref: "main" })).toBe("kind: Namespace\n");
    expect(await gh.readFile({ path: "templates/none.yaml", ref: "main" })).toBeNull();
  });

  it("reports a 5xx as ForgeUnavailableError", async () => {
    server.expect({ method: "GET", path: `${R}/pulls/7`, status: 503, reply: { message: "Service Unavailable" } });
    await expect(gh.getPullRequest(7)).rejects.toBeInstanceOf(ForgeUnavailableError);
  });

  it("verifies webhooks: good signature, bad signature, other events", () => {
    const raw = JSON.stringify(fixture("github/webhook-pull-request-closed"));
    const headers = (sig: string, event = "pull_request") =>
      new Headers({ "x-github-event": event, "x-hub-signature-256": sig });
    const good = `sha256=${hmacSha256Hex("s3cret", raw)}`;
    expect(gh.verifyWebhook({ headers: headers(good), rawBody: raw, secret: "s3cret" })).toEqual({
      kind: "pull_request",
      action: "merged",
      number: 1347,
      headBranch: "berth/team-a",
      mergeCommitSha: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    });
    expect(() => gh.verifyWebhook({ headers: headers(good), rawBody: `${raw} `, secret: "s3cret" })).toThrow(
      WebhookSignatureError,
    );
    expect(() =>
      gh.verifyWebhook({ headers: headers(`sha256=${hmacSha256Hex("wrong", raw)}`), rawBody: raw, secret: "s3cret" }),
    ).toThrow(WebhookSignatureError);
    expect(() =>
      gh.verifyWebhook({ headers: new Headers({ "x-github-event": "pull_request" }), rawBody: raw, secret: "s3cret" }),
    ).toThrow(WebhookSignatureError);
    expect(gh.verifyWebhook({ headers: headers(good, "push"), rawBody: raw, secret: "s3cret" })).toBeNull();
  });
});
