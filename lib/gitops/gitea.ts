import "server-only";
import { forgeError, MergeConflictError } from "./errors";
import { giteaLabelIds, giteaPullsFor, giteaPullState, giteaTip, giteaTree, type GiteaPull } from "./gitea-api";
import { verifyGiteaWebhook } from "./gitea-webhook";
import { createJsonClient, encodePath, type FetchLike, type JsonClient } from "./http";
import { planBranchCommit } from "./plan";
import type { FileChange, GitOpsProvider, PullRequestState, WebhookEvent } from "./types";
import { assertBranchName, assertFilePath, assertRef } from "./validation";

export type GiteaProviderOptions = {
  /** Instance URL, e.g. https://gitea.example.com (the API lives under /api/v1). */
  url: string;
  token: string;
  owner: string;
  repo: string;
  baseBranch: string;
  fetch?: FetchLike;
  /** Gitea checks mergeability in the background and answers 405 until it is done. */
  mergeRetry?: { attempts: number; delayMs: number };
};

/** Gitea (1.22+, also Forgejo) through its REST API v1 with token auth. */
export class GiteaProvider implements GitOpsProvider {
  readonly kind = "gitea" as const;
  readonly baseBranch: string;
  private readonly api: JsonClient;
  private readonly repo: string;
  private readonly mergeRetry: { attempts: number; delayMs: number };

  constructor(opts: GiteaProviderOptions) {
    this.baseBranch = opts.baseBranch;
    this.repo = `/repos/${encodeURIComponent(opts.owner)}/${encodeURIComponent(opts.repo)}`;
    this.mergeRetry = opts.mergeRetry ?? { attempts: 15, delayMs: 1_000 };
    this.api = createJsonClient({
      baseUrl: `${opts.url.replace(/\/+$/, "")}/api/v1`,
      headers: { authorization: `token ${opts.token}` },
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
    const { plan } = await planBranchCommit({
      forge: "Gitea",
      branch: opts.branch,
      base: opts.base,
      changes: opts.changes,
      tipOf: (ref) => giteaTip(this.api, this.repo, ref),
      treeAt: (sha) => giteaTree(this.api, this.repo, sha),
      hasOwnCommits: async (baseSha, tip) => {
        const c = await this.api<{ total_commits: number }>("GET", `${this.repo}/compare/${baseSha}...${tip}`);
        return c.body.total_commits > 0;
      },
    });
    if (plan.kind === "noop") return { commitSha: plan.sha };
    // "branch" is where the commit starts; "new_branch" (+ force_push to reset) names the target.
    const target =
      plan.createBranch || plan.reset
        ? { branch: opts.base, new_branch: opts.branch, ...(plan.reset ? { force_push: true } : {}) }
        : { branch: opts.branch };
    const r = await this.api<{ commit: { sha: string } }>("POST", `${this.repo}/contents`, {
      body: {
        ...target,
        message: opts.message,
        author: opts.author,
        files: plan.changes.map((c) =>
          c.op === "delete"
            ? { operation: "delete", path: c.path, sha: c.sha }
            : {
                operation: c.op,
                path: c.path,
                content: Buffer.from(c.content, "utf8").toString("base64"),
                ...(c.sha ? { sha: c.sha } : {}),
              },
        ),
      },
    });
    return { commitSha: r.body.commit.sha };
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
    const existing = await giteaPullsFor(this.api, this.repo, opts.head);
    const open = existing.find((p) => p.state === "open");
    if (open) return open;
    const tip = await giteaTip(this.api, this.repo, opts.head);
    const merged = existing.find((p) => p.state === "merged" && p.headSha === tip);
    if (merged) return merged;
    const labels = await giteaLabelIds(this.api, this.repo, opts.labels);
    const r = await this.api<GiteaPull>("POST", `${this.repo}/pulls`, {
      body: { head: opts.head, base: opts.base, title: opts.title, body: opts.body, labels },
      allow: [409],
    });
    if (r.status !== 409) return giteaPullState(r.body);
    // 409: a pull request for this head already exists (a concurrent caller won).
    const again = (await giteaPullsFor(this.api, this.repo, opts.head)).find((p) => p.state === "open");
    if (!again) throw forgeError("Gitea create pull", 409, `no open pull request for ${opts.head}`);
    return again;
  }

  async findPullRequest(opts: { head: string }): Promise<PullRequestState | null> {
    assertBranchName(opts.head);
    const all = await giteaPullsFor(this.api, this.repo, opts.head);
    return all.find((p) => p.state === "open") ?? all[0] ?? null;
  }

  async getPullRequest(number: number): Promise<PullRequestState> {
    return giteaPullState((await this.api<GiteaPull>("GET", `${this.repo}/pulls/${number}`)).body);
  }

  async comment(number: number, body: string): Promise<void> {
    await this.api("POST", `${this.repo}/issues/${number}/comments`, { body: { body } });
  }

  async mergePullRequest(number: number, opts: { message: string }): Promise<{ mergeCommitSha: string }> {
    for (let attempt = 1; ; attempt++) {
      const pr = await this.getPullRequest(number);
      if (pr.state === "merged" && pr.mergeCommitSha) return { mergeCommitSha: pr.mergeCommitSha };
      const r = await this.api("POST", `${this.repo}/pulls/${number}/merge`, {
        body: { Do: "merge", merge_message_field: opts.message, ...(pr.headSha ? { head_commit_id: pr.headSha } : {}) },
        allow: [405, 409],
      });
      if (r.status === 200) {
        const after = await this.getPullRequest(number);
        if (after.mergeCommitSha) return { mergeCommitSha: after.mergeCommitSha };
        throw forgeError("Gitea merge", 502, "merged without a merge commit sha");
      }
      // 409 is a definite conflict (or the head moved). 405 is also what Gitea answers while its
      // background mergeability check runs, so it only counts as a conflict once retries run out.
      if (r.status === 409 || attempt >= this.mergeRetry.attempts) throw new MergeConflictError(number, []);
      await new Promise((res) => setTimeout(res, this.mergeRetry.delayMs));
    }
  }

  async closePullRequest(number: number): Promise<void> {
    await this.api("PATCH", `${this.repo}/pulls/${number}`, { body: { state: "closed" } });
  }

  async readFile(opts: { path: string; ref: string }): Promise<string | null> {
    assertFilePath(opts.path);
    assertRef(opts.ref);
    const r = await this.api<{ type?: string; content?: string | null }>(
      "GET",
      `${this.repo}/contents/${encodePath(opts.path)}`,
      {
        query: { ref: opts.ref },
        allow: [404],
      },
    );
    if (r.status === 404 || Array.isArray(r.body) || r.body.type !== "file") return null;
    return Buffer.from(r.body.content ?? "", "base64").toString("utf8");
  }

  async listFiles(opts: { dir: string; ref: string }): Promise<string[]> {
    assertRef(opts.ref);
    const sha = /^[0-9a-f]{40,64}$/.test(opts.ref) ? opts.ref : await giteaTip(this.api, this.repo, opts.ref);
    if (!sha) throw forgeError("Gitea list files", 404, `ref ${opts.ref} not found`);
    const prefix = opts.dir.replace(/\/+$/, "");
    const files = [...(await giteaTree(this.api, this.repo, sha)).keys()];
    return files.filter((p) => prefix === "" || p.startsWith(`${prefix}/`)).sort();
  }

  verifyWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
    return verifyGiteaWebhook(opts);
  }
}
