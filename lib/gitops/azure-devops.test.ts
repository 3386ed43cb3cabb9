import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureDevOpsProvider } from "./azure-devops";
import { ForgeUnavailableError, MergeConflictError, WebhookSignatureError } from "./errors";
import { fixture, startForgeServer } from "./testing/forge-server";

const R = "/fabrikam/platform/_apis/git/repositories/gitops";
const MAIN = "4f2aa8a7d9b3c66f7e2c2a4b8f0e7c6d5b4a3928";
const HEAD = "be67f8871a4d2c75f13a51c1d3c30ac0d74d4ef4";
const V = { "api-version": "7.1" };
const author = { name: "Ada Tenant", email: "ada@example.test" };

describe("Azure DevOps provider contract", () => {
  let server: Awaited<ReturnType<typeof startForgeServer>>;
  let az: AzureDevOpsProvider;
  beforeAll(async () => {
    server = await startForgeServer({
      sharedHeaders: { authorization: `Basic ${Buffer.from(":azdo-pat").toString("base64")}` },
    });
    az = new AzureDevOpsProvider({
      url: `${server.url}/fabrikam`,
      project: "platform",
      repository: "gitops",
      token: "azdo-pat",
      baseBranch: "main",
      mergeRetry: { attempts: 2, delayMs: 1 },
    });
  });
  afterEach(() => server.assertDone());
  afterAll(() => server.close());

  it("pushes many files in one commit, creating the branch from base", async () => {
    server.expect(
      { method: "GET", path: `${R}/refs`, query: { ...V, filter: "heads/main" }, reply: fixture("azure-devops/refs") },
      {
        method: "GET",
        path: `${R}/refs`,
        query: { ...V, filter: "heads/berth/team-a" },
        reply: fixture("azure-devops/refs-empty"),
      },
      {
        method: "GET",
        path: `${R}/items`,
        query: {
          ...V,
          scopePath: "/",
          recursionLevel: "Full",
          "versionDescriptor.version": MAIN,
          "versionDescriptor.versionType": "commit",
        },
        reply: fixture("azure-devops/items"),
      },
      {
        method: "POST",
        path: `${R}/pushes`,
        query: V,
        body: {
          refUpdates: [{ name: "refs/heads/berth/team-a", oldObjectId: MAIN }],
          commits: [
            {
              comment: "Add tenant a",
              author,
              parents: [MAIN],
              changes: [
                {
                  changeType: "add",
                  item: { path: "/tenants/a/ns.yaml" },
                  newContent: {
                    content: Buffer.from("kind: Namespace\n").toString("base64"),
                    contentType: "base64encoded",
                  },
                },
                { changeType: "delete", item: { path: "/tenants/old/ns.yaml" } },
              ],
            },
          ],
        },
        status: 201,
        reply: fixture("azure-devops/push"),
      },
    );
    const r = await az.commitFiles({
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

  it("opens a pull request with labels, and returns the active one instead of a second", async () => {
    const search = {
      method: "GET",
      path: `${R}/pullrequests`,
      query: { ...V, "searchCriteria.sourceRefName": "refs/heads/berth/team-a", "searchCriteria.status": "all" },
    };
    server.expect(
      { ...search, reply: { value: [], count: 0 } },
      { method: "GET", path: `${R}/refs`, reply: fixture("azure-devops/refs") },
      {
        method: "POST",
        path: `${R}/pullrequests`,
        body: {
          sourceRefName: "refs/heads/berth/team-a",
          targetRefName: "refs/heads/main",
          title: "Request berth/team-a",
          description: "Opened by Berth",
          labels: [{ name: "berth" }],
        },
        status: 201,
        reply: fixture("azure-devops/pull-request"),
      },
      { ...search, reply: fixture("azure-devops/pull-requests") },
    );
    const req = {
      head: "berth/team-a",
      base: "main",
      title: "Request berth/team-a",
      body: "Opened by Berth",
      labels: ["berth"],
    };
    const first = await az.openPullRequest(req);
    expect(first).toEqual({
      number: 22,
      url: "https://dev.azure.com/fabrikam/platform/_git/gitops/pullrequest/22",
      state: "open",
      headBranch: "berth/team-a",
      headSha: HEAD,
      mergeCommitSha: null,
    });
    expect(await az.openPullRequest(req)).toEqual(first);
  });

  it("completes with noFastForward and the head commit, and is idempotent once completed", async () => {
    const completed = fixture("azure-devops/pull-request", { status: "completed" });
    server.expect(
      { method: "GET", path: `${R}/pullrequests/22`, reply: fixture("azure-devops/pull-request") },
      {
        method: "PATCH",
        path: `${R}/pullrequests/22`,
        body: {
          status: "completed",
          lastMergeSourceCommit: {
            commitId: HEAD,
            url: `https://dev.azure.com/fabrikam/_apis/git/repositories/3411ebc1-d5aa-464f-9615-0b527bc66719/commits/${HEAD}`,
          },
          completionOptions: {
            mergeStrategy: "noFastForward",
            mergeCommitMessage: "Merge request 22",
            deleteSourceBranch: false,
          },
        },
        reply: completed,
      },
      { method: "GET", path: `${R}/pullrequests/22`, reply: completed },
    );
    expect(await az.mergePullRequest(22, { message: "Merge request 22" })).toEqual({
      mergeCommitSha: "39f52d24533cc712fc845ed9fd1b6c06b3942588",
    });
    expect(await az.mergePullRequest(22, { message: "again" })).toEqual({
      mergeCommitSha: "39f52d24533cc712fc845ed9fd1b6c06b3942588",
    });
  });

  it("reports mergeStatus conflicts as MergeConflictError without completing", async () => {
    server.expect({
      method: "GET",
      path: `${R}/pullrequests/22`,
      reply: fixture("azure-devops/pull-request", { mergeStatus: "conflicts" }),
    });
    await expect(az.mergePullRequest(22, { message: "m" })).rejects.toBeInstanceOf(MergeConflictError);
  });

  it("abandons, comments in a thread and reads files", async () => {
    server.expect(
      {
        method: "PATCH",
        path: `${R}/pullrequests/22`,
        body: { status: "abandoned" },
        reply: fixture("azure-devops/pull-request", { status: "abandoned" }),
      },
      {
        method: "POST",
        path: `${R}/pullRequests/22/threads`,
        body: { comments: [{ parentCommentId: 0, content: "Applied by Argo CD", commentType: 1 }], status: 1 },
        reply: fixture("azure-devops/thread"),
      },
      {
        method: "GET",
        path: `${R}/items`,
        query: {
          ...V,
          path: "/templates/namespace.yaml",
          includeContent: "true",
          $format: "json",
          "versionDescriptor.version": "main",
          "versionDescriptor.versionType": "branch",
        },
        reply: fixture("azure-devops/item"),
      },
      {
        method: "GET",
        path: `${R}/items`,
        query: { path: "/templates/none.yaml" },
        status: 404,
        reply: fixture("azure-devops/not-found"),
      },
    );
    await az.closePullRequest(22);
    await az.comment(22, "Applied by Argo CD");
    expect(await az.readFile({ path: "templates/namespace.yaml", ref: "main" })).toBe("kind: Namespace\n");
    expect(await az.readFile({ path: "templates/none.yaml", ref: "main" })).toBeNull();
  });

  it("reports a 5xx as ForgeUnavailableError", async () => {
    server.expect({
      method: "GET",
      path: `${R}/pullrequests/7`,
      status: 503,
      reply: { message: "Service Unavailable" },
    });
    await expect(az.getPullRequest(7)).rejects.toBeInstanceOf(ForgeUnavailableError);
  });

  it("verifies service hooks by shared secret header or basic auth; other events are null", () => {
    const raw = JSON.stringify(fixture("azure-devops/webhook-pull-request-merged"));
    const event = {
      kind: "pull_request",
      action: "merged",
      number: 22,
      headBranch: "berth/team-a",
      mergeCommitSha: "39f52d24533cc712fc845ed9fd1b6c06b3942588",
    };
    expect(
      az.verifyWebhook({ headers: new Headers({ "x-berth-secret": "s3cret" }), rawBody: raw, secret: "s3cret" }),
    ).toEqual(event);
    const basic = (pw: string) =>
      new Headers({ authorization: `Basic ${Buffer.from(`azure:${pw}`).toString("base64")}` });
    expect(az.verifyWebhook({ headers: basic("s3cret"), rawBody: raw, secret: "s3cret" })).toEqual(event);
    expect(() => az.verifyWebhook({ headers: basic("nope"), rawBody: raw, secret: "s3cret" })).toThrow(
      WebhookSignatureError,
    );
    expect(() =>
      az.verifyWebhook({ headers: new Headers({ "x-berth-secret": "s3cre" }), rawBody: raw, secret: "s3cret" }),
    ).toThrow(WebhookSignatureError);
    expect(() => az.verifyWebhook({ headers: new Headers(), rawBody: raw, secret: "s3cret" })).toThrow(
      WebhookSignatureError,
    );
    const push = raw.replace('"git.pullrequest.merged"', '"git.push"');
    expect(
      az.verifyWebhook({ headers: new Headers({ "x-berth-secret": "s3cret" }), rawBody: push, secret: "s3cret" }),
    ).toBeNull();
  });
});
