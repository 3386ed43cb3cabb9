import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ForgeUnavailableError, MergeConflictError, WebhookSignatureError } from "./errors";
import { GitLabProvider } from "./gitlab";
import { fixture, startForgeServer } from "./testing/forge-server";

const P = "/api/v4/projects/5";
const MAIN = "7b5c3cc8be40ee161ae89a06bba6229da1032a0c";
const author = { name: "Ada Tenant", email: "ada@example.test" };

describe("GitLab provider contract", () => {
  let server: Awaited<ReturnType<typeof startForgeServer>>;
  let gl: GitLabProvider;
  beforeAll(async () => {
    server = await startForgeServer({ sharedHeaders: { "private-token": "glpat-test" } });
    gl = new GitLabProvider({ url: server.url, token: "glpat-test", project: 5, baseBranch: "main" });
  });
  afterEach(() => server.assertDone());
  afterAll(() => server.close());

  it("commits many files in one commit, starting a new branch from base", async () => {
    server.expect(
      { method: "GET", path: `${P}/repository/branches/main`, reply: fixture("gitlab/branch") },
      { method: "GET", path: `${P}/repository/branches/berth/team-a`, status: 404, reply: fixture("gitlab/not-found") },
      {
        method: "GET",
        path: `${P}/repository/tree`,
        query: { ref: MAIN, recursive: "true", per_page: "100" },
        reply: fixture("gitlab/tree"),
      },
      {
        method: "POST",
        path: `${P}/repository/commits`,
        body: {
          branch: "berth/team-a",
          commit_message: "Add tenant a",
          actions: [
            {
              action: "create",
              file_path: "tenants/a/ns.yaml",
              content: Buffer.from("kind: Namespace\n").toString("base64"),
              encoding: "base64",
            },
            { action: "delete", file_path: "tenants/old/ns.yaml" },
          ],
          start_sha: MAIN,
          author_name: author.name,
          author_email: author.email,
        },
        status: 201,
        reply: fixture("gitlab/commit-created"),
      },
    );
    const r = await gl.commitFiles({
      branch: "berth/team-a",
      base: "main",
      message: "Add tenant a",
      author,
      changes: [
        { path: "tenants/a/ns.yaml", content: "kind: Namespace\n" },
        { path: "tenants/old/", delete: true },
      ],
    });
    expect(r.commitSha).toBe("ed899a2f4b50b4370feeea94676502b42383c746");
  });

  it("opens a merge request with labels, and returns the open one instead of a second", async () => {
    const list = { method: "GET", path: `${P}/merge_requests`, query: { source_branch: "berth/team-a" } };
    server.expect(
      { ...list, reply: [] },
      { method: "GET", path: `${P}/repository/branches/berth/team-a`, reply: fixture("gitlab/branch") },
      {
        method: "POST",
        path: `${P}/merge_requests`,
        body: {
          source_branch: "berth/team-a",
          target_branch: "main",
          title: "Request berth/team-a",
          description: "Opened by Berth",
          labels: "berth,team-a",
        },
        status: 201,
        reply: fixture("gitlab/merge-request"),
      },
      { ...list, reply: [fixture("gitlab/merge-request")] },
    );
    const req = {
      head: "berth/team-a",
      base: "main",
      title: "Request berth/team-a",
      body: "Opened by Berth",
      labels: ["berth", "team-a"],
    };
    const first = await gl.openPullRequest(req);
    expect(first).toEqual({
      number: 1,
      url: "https://gitlab.example.com/platform/gitops/-/merge_requests/1",
      state: "open",
      headBranch: "berth/team-a",
      headSha: "ed899a2f4b50b4370feeea94676502b42383c746",
      mergeCommitSha: null,
    });
    expect(await gl.openPullRequest(req)).toEqual(first);
  });

  it("merges (accept with the head sha) and is idempotent once merged", async () => {
    const merged = fixture("gitlab/merge-request", {
      state: "merged",
      merge_commit_sha: "fd1a3bbd1c5ab2a2fbc2f3c7cdd0a9ad8ad3d1b8",
    });
    server.expect(
      { method: "GET", path: `${P}/merge_requests/1`, reply: fixture("gitlab/merge-request") },
      {
        method: "PUT",
        path: `${P}/merge_requests/1/merge`,
        body: { merge_commit_message: "Merge request !1", sha: "ed899a2f4b50b4370feeea94676502b42383c746" },
        reply: merged,
      },
      { method: "GET", path: `${P}/merge_requests/1`, reply: merged },
    );
    expect(await gl.mergePullRequest(1, { message: "Merge request !1" })).toEqual({
      mergeCommitSha: "fd1a3bbd1c5ab2a2fbc2f3c7cdd0a9ad8ad3d1b8",
    });
    expect(await gl.mergePullRequest(1, { message: "again" })).toEqual({
      mergeCommitSha: "fd1a3bbd1c5ab2a2fbc2f3c7cdd0a9ad8ad3d1b8",
    });
  });

  it("turns 405 cannot be merged into MergeConflictError", async () => {
    server.expect(
      {
        method: "GET",
        path: `${P}/merge_requests/1`,
        reply: fixture("gitlab/merge-request", { has_conflicts: true, detailed_merge_status: "conflict" }),
      },
      { method: "PUT", path: `${P}/merge_requests/1/merge`, status: 405, reply: fixture("gitlab/merge-not-allowed") },
    );
    await expect(gl.mergePullRequest(1, { message: "m" })).rejects.toBeInstanceOf(MergeConflictError);
  });

  it("closes, comments and reads files", async () => {
    server.expect(
      {
        method: "PUT",
        path: `${P}/merge_requests/1`,
        body: { state_event: "close" },
        reply: fixture("gitlab/merge-request", { state: "closed" }),
      },
      {
        method: "POST",
        path: `${P}/merge_requests/1/notes`,
        body: { body: "Applied by Argo CD" },
        status: 201,
        reply: fixture("gitlab/note"),
      },
      {
        method: "GET",
        path: `${P}/repository/files/templates/namespace.yaml`,
        query: { ref: "main" },
        reply: fixture("gitlab/file"),
      },
      {
        method: "GET",
        path: `${P}/repository/files/templates/none.yaml`,
        query: { ref: "main" },
        status: 404,
        reply: { message: "404 File Not Found" },
      },
    );
    await gl.closePullRequest(1);
    await gl.comment(1, "Applied by Argo CD");
    expect(await gl.readFile({ path: "templates/namespace.yaml", ref: "main" })).toBe("kind: Namespace\n");
    expect(await gl.readFile({ path: "templates/none.yaml", ref: "main" })).toBeNull();
  });

  it("reports a 5xx as ForgeUnavailableError", async () => {
    server.expect({
      method: "GET",
      path: `${P}/merge_requests/7`,
      status: 503,
      reply: { message: "503 Service Unavailable" },
    });
    await expect(gl.getPullRequest(7)).rejects.toBeInstanceOf(ForgeUnavailableError);
  });

  it("verifies webhooks: matching token, wrong token, other events", () => {
    const raw = JSON.stringify(fixture("gitlab/webhook-merge-request-merge"));
    const headers = (token: string, event = "Merge Request Hook") =>
      new Headers({ "x-gitlab-event": event, "x-gitlab-token": token });
    expect(gl.verifyWebhook({ headers: headers("s3cret"), rawBody: raw, secret: "s3cret" })).toEqual({
      kind: "pull_request",
      action: "merged",
      number: 1,
      headBranch: "berth/team-a",
      mergeCommitSha: "fd1a3bbd1c5ab2a2fbc2f3c7cdd0a9ad8ad3d1b8",
    });
    expect(() => gl.verifyWebhook({ headers: headers("s3cre"), rawBody: raw, secret: "s3cret" })).toThrow(
      WebhookSignatureError,
    );
    expect(() =>
      gl.verifyWebhook({
        headers: new Headers({ "x-gitlab-event": "Merge Request Hook" }),
        rawBody: raw,
        secret: "s3cret",
      }),
    ).toThrow(WebhookSignatureError);
    expect(gl.verifyWebhook({ headers: headers("s3cret", "Push Hook"), rawBody: raw, secret: "s3cret" })).toBeNull();
  });
});
