import "server-only";
import { Octokit } from "@octokit/rest";
import { forgeError, MergeConflictError } from "./errors";
import { verifyGitHubWebhook } from "./github-webhook";
import { planBranchCommit, splitMessage, type TreeListing } from "./plan";
import type { FileChange, GitOpsProvider, PullRequestState, WebhookEvent } from "./types";
import { assertBranchName, assertFilePath, assertRef } from "./validation";

export type GitHubProviderOptions = {
  /** REST API root: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  baseBranch: string;
};

type Pull = {
  number: number;
  html_url: string;
  state: string;
  merged?: boolean | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { ref: string; sha: string };
};

/** GitHub through the REST API (git data API for one commit with many files). */
export class GitHubProvider implements GitOpsProvider {
  readonly kind = "github" as const;
  readonly baseBranch: string;
  private readonly gh: Octokit;
  private readonly repo: { owner: string; repo: string };

  constructor(opts: GitHubProviderOptions) {
    this.baseBranch = opts.baseBranch;
    this.repo = { owner: opts.owner, repo: opts.repo };
    const quiet = () => undefined;
    // Failures are thrown and handled by the caller; Octokit's own console logging is noise.
    this.gh = new Octokit({
      auth: opts.token,
      baseUrl: opts.apiUrl.replace(/\/+$/, ""),
      userAgent: "berth",
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
  }

  /** Runs one API call, mapping failures to ForgeUnavailableError / ForgeRequestError. */
  private async call<T>(what: string, fn: () => Promise<{ data: T }>, allow: number[] = []): Promise<T | null> {
    try {
      return (await fn()).data;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== undefined && allow.includes(status)) return null;
      // Octokit reports a network failure as status 500 too: both mean "try again later".
      throw forgeError(`GitHub ${what}`, status, (err as Error).message, err);
    }
  }

  private async tip(branch: string): Promise<string | null> {
    const ref = await this.call(
      "get ref",
      () => this.gh.rest.git.getRef({ ...this.repo, ref: `heads/${branch}` }),
      [404],
    );
    return ref?.object.sha ?? null;
  }

  private async treeAt(sha: string): Promise<TreeListing> {
    const t = await this.call("get tree", () =>
      this.gh.rest.git.getTree({ ...this.repo, tree_sha: sha, recursive: "true" }),
    );
    return new Map(
      (t?.tree ?? []).filter((e) => e.type === "blob" && e.path && e.sha).map((e) => [e.path ?? "", e.sha ?? ""]),
    );
  }

  async commitFiles(opts: {
    branch: string;
    base: string;
    message: string;
    author: { name: string; email: string };
    changes: FileChange[];
  }) {
    const { plan } = await planBranchCommit({
      forge: "GitHub",
      branch: opts.branch,
      base: opts.base,
      changes: opts.changes,
      tipOf: (ref) => this.tip(ref),
      treeAt: (sha) => this.treeAt(sha),
      hasOwnCommits: async (baseSha, tip) => {
        const c = await this.call("compare", () =>
          this.gh.rest.repos.compareCommitsWithBasehead({ ...this.repo, basehead: `${baseSha}...${tip}` }),
        );
        return (c?.ahead_by ?? 0) > 0;
      },
    });
    if (plan.kind === "noop") return { commitSha: plan.sha };
    const tree: { path: string; mode: "100644"; type: "blob"; sha: string | null }[] = [];
    for (const c of plan.changes) {
      if (c.op === "delete") {
        tree.push({ path: c.path, mode: "100644", type: "blob", sha: null });
        continue;
      }
      // Base64 blobs keep the content byte for byte.
      const blob = await this.call("create blob", () =>
        this.gh.rest.git.createBlob({
          ...this.repo,
          content: Buffer.from(c.content, "utf8").toString("base64"),
          encoding: "base64",
        }),
      );
      tree.push({ path: c.path, mode: "100644", type: "blob", sha: blob?.sha ?? "" });
    }
    const parentCommit = await this.call("get commit", () =>
      this.gh.rest.git.getCommit({ ...this.repo, commit_sha: plan.parent }),
    );
    const newTree = await this.call("create tree", () =>
      this.gh.rest.git.createTree({ ...this.repo, base_tree: parentCommit?.tree.sha ?? "", tree }),
    );
    const commit = await this.call("create commit", () =>
      this.gh.rest.git.createCommit({
        ...this.repo,
        message: opts.message,
        tree: newTree?.sha ?? "",
        parents: [plan.parent],
        author: opts.author,
      }),
    );
    const sha = commit?.sha ?? "";
    if (plan.createBranch) {
      await this.call("create ref", () =>
        this.gh.rest.git.createRef({ ...this.repo, ref: `refs/heads/${opts.branch}`, sha }),
      );
    } else {
      // Without force GitHub only fast-forwards: a concurrent writer's commit makes this fail (422)
      // instead of being lost. A reset onto base has to force.
      await this.call("update ref", () =>
        this.gh.rest.git.updateRef({ ...this.repo, ref: `heads/${opts.branch}`, sha, force: plan.reset }),
      );
    }
    return { commitSha: sha };
  }

  private toState(p: Pull): PullRequestState {
    const merged = Boolean(p.merged || p.merged_at);
    return {
      number: p.number,
      url: p.html_url,
      state: merged ? "merged" : p.state === "open" ? "open" : "closed",
      headBranch: p.head.ref,
      headSha: p.head.sha,
      mergeCommitSha: merged ? p.merge_commit_sha : null,
    };
  }

  private async pullsFor(head: string): Promise<PullRequestState[]> {
    const list = await this.call("list pulls", () =>
      this.gh.rest.pulls.list({ ...this.repo, head: `${this.repo.owner}:${head}`, state: "all", per_page: 100 }),
    );
    return (list ?? []).map((p) => this.toState(p)).sort((a, b) => b.number - a.number);
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
    const existing = await this.pullsFor(opts.head);
    const open = existing.find((p) => p.state === "open");
    if (open) return open;
    const tip = await this.tip(opts.head);
    const merged = existing.find((p) => p.state === "merged" && p.headSha === tip);
    if (merged) return merged;
    const created = await this.call(
      "create pull",
      () =>
        this.gh.rest.pulls.create({
          ...this.repo,
          head: opts.head,
          base: opts.base,
          title: opts.title,
          body: opts.body,
        }),
      [422],
    );
    if (!created) {
      // 422 "A pull request already exists": a concurrent caller won; return theirs.
      const again = (await this.pullsFor(opts.head)).find((p) => p.state === "open");
      if (again) return again;
      throw forgeError("GitHub create pull", 422, `could not open a pull request for ${opts.head}`);
    }
    if (opts.labels.length > 0) {
      await this.call("add labels", () =>
        this.gh.rest.issues.addLabels({ ...this.repo, issue_number: created.number, labels: opts.labels }),
      );
    }
    return this.toState(created);
  }

  async findPullRequest(opts: { head: string }): Promise<PullRequestState | null> {
    assertBranchName(opts.head);
    const all = await this.pullsFor(opts.head);
    return all.find((p) => p.state === "open") ?? all[0] ?? null;
  }

  async getPullRequest(number: number): Promise<PullRequestState> {
    const p = await this.call("get pull", () => this.gh.rest.pulls.get({ ...this.repo, pull_number: number }));
    if (!p) throw forgeError("GitHub get pull", 404, `#${number}`);
    return this.toState(p);
  }

  async comment(number: number, body: string): Promise<void> {
    await this.call("comment", () => this.gh.rest.issues.createComment({ ...this.repo, issue_number: number, body }));
  }

  async mergePullRequest(number: number, opts: { message: string }): Promise<{ mergeCommitSha: string }> {
    const before = await this.getPullRequest(number);
    if (before.state === "merged" && before.mergeCommitSha) return { mergeCommitSha: before.mergeCommitSha };
    const { title, body } = splitMessage(opts.message);
    const r = await this.call(
      "merge pull",
      () =>
        this.gh.rest.pulls.merge({
          ...this.repo,
          pull_number: number,
          merge_method: "merge",
          commit_title: title,
          commit_message: body,
        }),
      [405, 409],
    );
    // 405 "not mergeable" / 409 head moved. GitHub does not name the conflicting files.
    if (!r) throw new MergeConflictError(number, []);
    return { mergeCommitSha: r.sha };
  }

  async closePullRequest(number: number): Promise<void> {
    await this.call("close pull", () =>
      this.gh.rest.pulls.update({ ...this.repo, pull_number: number, state: "closed" }),
    );
  }

  async readFile(opts: { path: string; ref: string }): Promise<string | null> {
    assertFilePath(opts.path);
    assertRef(opts.ref);
    const f = await this.call(
      "get content",
      () => this.gh.rest.repos.getContent({ ...this.repo, path: opts.path, ref: opts.ref }),
      [404],
    );
    if (!f || Array.isArray(f) || f.type !== "file" || !("content" in f)) return null;
    return Buffer.from(f.content, "base64").toString("utf8");
  }

  async listFiles(opts: { dir: string; ref: string }): Promise<string[]> {
    assertRef(opts.ref);
    const prefix = opts.dir.replace(/\/+$/, "");
    const files = [...(await this.treeAt(opts.ref)).keys()];
    return files.filter((p) => prefix === "" || p.startsWith(`${prefix}/`)).sort();
  }

  verifyWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null {
    return verifyGitHubWebhook(opts);
  }
}
