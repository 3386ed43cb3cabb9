import "server-only";
import { Gitlab } from "@gitbeaker/rest";
import { forgeError, MergeConflictError } from "./errors";
import { verifyGitLabWebhook } from "./gitlab-webhook";
import { planBranchCommit, type TreeListing } from "./plan";
import type { FileChange, GitOpsProvider, PullRequestState, WebhookEvent } from "./types";
import { assertBranchName, assertFilePath, assertRef } from "./validation";

export type GitLabProviderOptions = {
  /** Instance URL, e.g. https://gitlab.com (the API lives under /api/v4). */
  url: string;
  token: string;
  /** Numeric project id or "group/subgroup/project". */
  project: string | number;
  baseBranch: string;
};

type MergeRequest = {
  iid: number;
  web_url: string;
  state: string;
  source_branch: string;
  sha: string | null;
  merge_commit_sha: string | null;
  squash_commit_sha?: string | null;
};

/** GitLab through the REST API v4 (@gitbeaker/rest); pull requests are merge requests. */
export class GitLabProvider implements GitOpsProvider {
  readonly kind = "gitlab" as const;
  readonly baseBranch: string;
  private readonly api: InstanceType<typeof Gitlab>;
  private readonly project: string | number;

  constructor(opts: GitLabProviderOptions) {
    this.baseBranch = opts.baseBranch;
    this.project = opts.project;
    this.api = new Gitlab({ host: opts.url.replace(/\/+$/, ""), token: opts.token, queryTimeout: 30_000 });
  }

  /** Runs one API call, mapping failures; statuses in `allow` resolve to null. */
  private async call<T>(what: string, fn: () => Promise<unknown>, allow: number[] = []): Promise<T | null> {
    try {
      return (await fn()) as T;
    } catch (err) {
      // GitbeakerRequestError carries the Response; timeouts, retries exhausted (429/502) and
      // network errors have none and count as unavailable.
      const status = (err as { cause?: { response?: { status?: number } } }).cause?.response?.status;
      if (status !== undefined && allow.includes(status)) return null;
      throw forgeError(`GitLab ${what}`, status, (err as Error).message, err);
    }
  }

  private async must<T>(what: string, fn: () => Promise<unknown>): Promise<T> {
    return (await this.call<T>(what, fn)) as T;
  }

  private async tip(branch: string): Promise<string | null> {
    const b = await this.call<{ commit: { id: string } }>(
      "get branch",
      () => this.api.Branches.show(this.project, branch),
      [404],
    );
    return b?.commit.id ?? null;
  }

  private async treeAt(ref: string, path?: string): Promise<TreeListing> {
    const entries = await this.must<{ id: string; type: string; path: string }[]>("list tree", () =>
      this.api.Repositories.allRepositoryTrees(this.project, { ref, recursive: true, path, perPage: 100 }),
    );
    return new Map(entries.filter((e) => e.type === "blob").map((e) => [e.path, e.id]));
  }

  async commitFiles(opts: {
    branch: string;
    base: string;
    message: string;
    author: { name: string; email: string };
    changes: FileChange[];
  }) {
    const { plan } = await planBranchCommit({
      forge: "GitLab",
      branch: opts.branch,
      base: opts.base,
      changes: opts.changes,
      tipOf: (ref) => this.tip(ref),
      treeAt: (sha) => this.treeAt(sha),
      hasOwnCommits: async (baseSha, tip) => {
        const c = await this.must<{ commits: unknown[] }>("compare", () =>
          this.api.Repositories.compare(this.project, baseSha, tip),
        );
        return c.commits.length > 0;
      },
    });
    if (plan.kind === "noop") return { commitSha: plan.sha };
    const actions = plan.changes.map((c) =>
      c.op === "delete"
        ? { action: "delete" as const, filePath: c.path }
        : {
            action: c.op,
            filePath: c.path,
            content: Buffer.from(c.content, "utf8").toString("base64"),
            encoding: "base64",
          },
    );
    // A new branch starts at the planned parent; a reset overwrites the branch (force).
    const start =
      plan.createBranch || plan.reset ? { startSha: plan.parent, ...(plan.reset ? { force: true } : {}) } : {};
    const commit = await this.must<{ id: string }>("create commit", () =>
      this.api.Commits.create(this.project, opts.branch, opts.message, actions, {
        ...start,
        authorName: opts.author.name,
        authorEmail: opts.author.email,
      }),
    );
    return { commitSha: commit.id };
  }

  private toState(mr: MergeRequest): PullRequestState {
    const state = mr.state === "merged" ? "merged" : mr.state === "opened" ? "open" : "closed";
    return {
      number: mr.iid,
      url: mr.web_url,
      state,
      headBranch: mr.source_branch,
      headSha: mr.sha,
      mergeCommitSha: state === "merged" ? (mr.merge_commit_sha ?? mr.squash_commit_sha ?? null) : null,
    };
  }

  private async mrsFor(head: string): Promise<PullRequestState[]> {
    const list = await this.must<MergeRequest[]>("list merge requests", () =>
      this.api.MergeRequests.all({ projectId: this.project, sourceBranch: head, perPage: 100, maxPages: 1 }),
    );
    return list.map((m) => this.toState(m)).sort((a, b) => b.number - a.number);
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
    const existing = await this.mrsFor(opts.head);
    const open = existing.find((p) => p.state === "open");
    if (open) return open;
    const tip = await this.tip(opts.head);
    const merged = existing.find((p) => p.state === "merged" && p.headSha === tip);
    if (merged) return merged;
    const created = await this.call<MergeRequest>(
      "create merge request",
      () =>
        this.api.MergeRequests.create(this.project, opts.head, opts.base, opts.title, {
          description: opts.body,
          labels: opts.labels.join(","),
        }),
      [409],
    );
    if (created) return this.toState(created);
    // 409: another open merge request already exists for this source branch (a concurrent caller).
    const again = (await this.mrsFor(opts.head)).find((p) => p.state === "open");
    if (!again) throw forgeError("GitLab create merge request", 409, `no open merge request for ${opts.head}`);
    return again;
  }

  async findPullRequest(opts: { head: string }): Promise<PullRequestState | null> {
    assertBranchName(opts.head);
    const all = await this.mrsFor(opts.head);
    return all.find((p) => p.state === "open") ?? all[0] ?? null;
  }

  async getPullRequest(number: number): Promise<PullRequestState> {
    return this.toState(
      await this.must<MergeRequest>("get merge request", () => this.api.MergeRequests.show(this.project, number)),
    );
  }

  async comment(number: number, body: string): Promise<void> {
    await this.call("comment", () => this.api.MergeRequestNotes.create(this.project, number, body));
  }

  async mergePullRequest(number: number, opts: { message: string }): Promise<{ mergeCommitSha: string }> {
    const before = await this.getPullRequest(number);
    if (before.state === "merged" && before.mergeCommitSha) return { mergeCommitSha: before.mergeCommitSha };
    const mr = await this.call<MergeRequest>(
      "merge",
      () =>
        this.api.MergeRequests.accept(this.project, number, {
          mergeCommitMessage: opts.message,
          ...(before.headSha ? { sha: before.headSha } : {}),
        }),
      [405, 406, 409, 422],
    );
    // 405/406/422: cannot be merged (conflicts, not mergeable); 409: head moved (sha mismatch).
    if (!mr) throw new MergeConflictError(number, []);
    const state = this.toState(mr);
    if (!state.mergeCommitSha) throw forgeError("GitLab merge", 502, "merged without a merge commit sha");
    return { mergeCommitSha: state.mergeCommitSha };
  }

  async closePullRequest(number: number): Promise<void> {
    await this.call("close merge request", () =>
      this.api.MergeRequests.edit(this.project, number, { stateEvent: "close" }),
    );
  }

  async readFile(opts: { path: string; ref: string }): Promise<string | null> {
    assertFilePath(opts.path);
    assertRef(opts.ref);
    const f = await this.call<{ content: string; encoding: string }>(
      "get file",
      () => this.api.RepositoryFiles.show(this.project, opts.path, opts.ref),
      [404],
    );
    if (!f) return null;
    return f.encoding === "base64" ? Buffer.from(f.content, "base64").toString("utf8") : f.content;
  }

  async listFiles(opts: { dir: string; ref: string }): Promise<string[]> {
    assertRef(opts.ref);
    const dir = opts.dir.replace(/\/+$/, "");
    if (dir !== "") assertFilePath(dir);
    const files = await this.call<{ id: string; type: string; path: string }[]>(
      "list tree",
      () =>
        this.api.Repositories.allRepositoryTrees(this.project, {
          ref: opts.ref,
          recursive: true,
          path: dir || undefined,
          perPage: 100,
        }),
      [404],
    );
    return (files ?? [])
      .filter((e) => e.type === "blob")
      .map((e) => e.path)
      .sort();
  }

  verifyWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
    return verifyGitLabWebhook(opts);
  }
}
