import "server-only";
import { forgeError, MergeConflictError } from "./errors";
import { azurePullState, azurePullsFor, azureTip, azureTree, heads, type AzurePull } from "./azure-devops-api";
import { verifyAzureDevOpsWebhook } from "./azure-devops-webhook";
import { createJsonClient, type FetchLike, type JsonClient } from "./http";
import { planBranchCommit } from "./plan";
import type { FileChange, GitOpsProvider, PullRequestState, WebhookEvent } from "./types";
import { assertBranchName, assertFilePath, assertRef } from "./validation";

export type AzureDevOpsProviderOptions = {
  /** Organisation (collection) URL: https://dev.azure.com/<org>, or https://server/tfs/<collection>. */
  url: string;
  project: string;
  repository: string;
  /** Personal access token with Code (read & write) scope. */
  token: string;
  baseBranch: string;
  fetch?: FetchLike;
  /** Completion is asynchronous: how long to wait for a merge to finish. */
  mergeRetry?: { attempts: number; delayMs: number };
};

/** Azure DevOps Repos through the Git REST API 7.1 with plain fetch and a PAT (Basic auth). */
export class AzureDevOpsProvider implements GitOpsProvider {
  readonly kind = "azure-devops" as const;
  readonly baseBranch: string;
  private readonly api: JsonClient;
  private readonly webUrl: string;
  private readonly mergeRetry: { attempts: number; delayMs: number };

  constructor(opts: AzureDevOpsProviderOptions) {
    this.baseBranch = opts.baseBranch;
    const org = opts.url.replace(/\/+$/, "");
    const project = encodeURIComponent(opts.project);
    const repo = encodeURIComponent(opts.repository);
    this.webUrl = `${org}/${project}/_git/${repo}`;
    this.mergeRetry = opts.mergeRetry ?? { attempts: 30, delayMs: 1_000 };
    this.api = createJsonClient({
      baseUrl: `${org}/${project}/_apis/git/repositories/${repo}`,
      headers: { authorization: `Basic ${Buffer.from(`:${opts.token}`).toString("base64")}` },
      query: { "api-version": "7.1" },
      fetch: opts.fetch,
    });
  }

  async commitFiles(opts: {
    branch: string;
    base: string;
    message: string;
    author: { name: string; email: string };
    changes: FileChange[];
  }) {
    const { plan, tip } = await planBranchCommit({
      forge: "Azure DevOps",
      branch: opts.branch,
      base: opts.base,
      changes: opts.changes,
      tipOf: (ref) => azureTip(this.api, ref),
      treeAt: (sha) => azureTree(this.api, { sha }),
      hasOwnCommits: async (baseSha, tip) => {
        const d = await this.api<{ aheadCount: number }>("GET", "/diffs/commits", {
          query: {
            baseVersion: baseSha,
            baseVersionType: "commit",
            targetVersion: tip,
            targetVersionType: "commit",
            $top: 1,
          },
        });
        return d.body.aheadCount > 0;
      },
    });
    if (plan.kind === "noop") return { commitSha: plan.sha };
    // oldObjectId makes the push a compare-and-swap (a moved branch answers 409); a new branch
    // names the commit it starts from.
    const r = await this.api<{ refUpdates: { newObjectId: string }[]; commits: { commitId: string }[] }>(
      "POST",
      "/pushes",
      {
        body: {
          refUpdates: [{ name: heads(opts.branch), oldObjectId: tip ?? plan.parent }],
          commits: [
            {
              comment: opts.message,
              author: opts.author,
              parents: [plan.parent],
              changes: plan.changes.map((c) =>
                c.op === "delete"
                  ? { changeType: "delete", item: { path: `/${c.path}` } }
                  : {
                      changeType: c.op === "create" ? "add" : "edit",
                      item: { path: `/${c.path}` },
                      newContent: {
                        content: Buffer.from(c.content, "utf8").toString("base64"),
                        contentType: "base64encoded",
                      },
                    },
              ),
            },
          ],
        },
      },
    );
    const sha = r.body.commits[0]?.commitId ?? r.body.refUpdates[0]?.newObjectId;
    if (!sha) throw forgeError("Azure DevOps push", 502, "push answered without a commit id");
    return { commitSha: sha };
  }

  async openPullRequest(opts: {
    head: string;
    base: string;
    title: string;
    body: string;
    labels: string[];
  }): Promise<PullRequestState> {
    assertBranchName(opts.head);
    assertBranchName(opts.base);
    const existing = await azurePullsFor(this.api, opts.head, this.webUrl);
    const open = existing.find((p) => p.state === "open");
    if (open) return open;
    const tip = await azureTip(this.api, opts.head);
    const merged = existing.find((p) => p.state === "merged" && p.headSha === tip);
    if (merged) return merged;
    const r = await this.api<AzurePull>("POST", "/pullrequests", {
      body: {
        sourceRefName: heads(opts.head),
        targetRefName: heads(opts.base),
        title: opts.title,
        description: opts.body,
        labels: opts.labels.map((name) => ({ name })),
      },
      allow: [409],
    });
    if (r.status !== 409) return azurePullState(r.body, this.webUrl);
    // TF401179: an active pull request for these branches already exists (a concurrent caller).
    const again = (await azurePullsFor(this.api, opts.head, this.webUrl)).find((p) => p.state === "open");
    if (!again) throw forgeError("Azure DevOps create pull request", 409, `no active pull request for ${opts.head}`);
    return again;
  }

  async findPullRequest(opts: { head: string }): Promise<PullRequestState | null> {
    assertBranchName(opts.head);
    const all = await azurePullsFor(this.api, opts.head, this.webUrl);
    return all.find((p) => p.state === "open") ?? all[0] ?? null;
  }

  private async pull(number: number): Promise<AzurePull> {
    return (await this.api<AzurePull>("GET", `/pullrequests/${number}`)).body;
  }

  async getPullRequest(number: number): Promise<PullRequestState> {
    return azurePullState(await this.pull(number), this.webUrl);
  }

  async comment(number: number, body: string): Promise<void> {
    await this.api("POST", `/pullRequests/${number}/threads`, {
      body: { comments: [{ parentCommentId: 0, content: body, commentType: 1 }], status: 1 },
    });
  }

  async mergePullRequest(number: number, opts: { message: string }): Promise<{ mergeCommitSha: string }> {
    let pr = await this.pull(number);
    if (pr.status === "active" && pr.mergeStatus !== "conflicts") {
      pr = (
        await this.api<AzurePull>("PATCH", `/pullrequests/${number}`, {
          body: {
            status: "completed",
            lastMergeSourceCommit: pr.lastMergeSourceCommit,
            completionOptions: {
              mergeStrategy: "noFastForward",
              mergeCommitMessage: opts.message,
              deleteSourceBranch: false,
            },
          },
        })
      ).body;
    }
    // Completion runs in the background: wait until it is completed or reports conflicts.
    for (let attempt = 1; ; attempt++) {
      if (pr.status === "completed" && pr.lastMergeCommit?.commitId)
        return { mergeCommitSha: pr.lastMergeCommit.commitId };
      if (pr.mergeStatus === "conflicts" || pr.mergeStatus === "failure") throw new MergeConflictError(number, []);
      if (pr.status === "abandoned") throw forgeError("Azure DevOps merge", 409, `pull request ${number} is abandoned`);
      if (attempt >= this.mergeRetry.attempts)
        throw forgeError("Azure DevOps merge", 503, `pull request ${number} still completing`);
      await new Promise((res) => setTimeout(res, this.mergeRetry.delayMs));
      pr = await this.pull(number);
    }
  }

  async closePullRequest(number: number): Promise<void> {
    await this.api("PATCH", `/pullrequests/${number}`, { body: { status: "abandoned" } });
  }

  async readFile(opts: { path: string; ref: string }): Promise<string | null> {
    assertFilePath(opts.path);
    assertRef(opts.ref);
    const isSha = /^[0-9a-f]{40}$/.test(opts.ref);
    const r = await this.api<{ content?: string; isFolder?: boolean }>("GET", "/items", {
      query: {
        path: `/${opts.path}`,
        includeContent: "true",
        $format: "json",
        "versionDescriptor.version": opts.ref,
        "versionDescriptor.versionType": isSha ? "commit" : "branch",
      },
      allow: [404],
    });
    if (r.status === 404 || r.body.isFolder) return null;
    return r.body.content ?? "";
  }

  async listFiles(opts: { dir: string; ref: string }): Promise<string[]> {
    assertRef(opts.ref);
    const dir = opts.dir.replace(/\/+$/, "");
    if (dir !== "") assertFilePath(dir);
    const version = /^[0-9a-f]{40}$/.test(opts.ref) ? { sha: opts.ref } : { branch: opts.ref };
    return [...(await azureTree(this.api, version, dir)).keys()].sort();
  }

  verifyWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
    return verifyAzureDevOpsWebhook(opts);
  }
}
