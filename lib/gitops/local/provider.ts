import "server-only";
import path from "node:path";
import type { Db } from "@/lib/db";
import { ForgeRequestError, InvalidGitInputError } from "../errors";
import type { LocalPullRequestRow } from "../local-schema";
import type { FileChange, GitOpsProvider, PullRequestState, WebhookEvent } from "../types";
import { assertBranchName, assertFilePath, assertRef } from "../validation";
import { commitFilesLocal } from "./commit";
import { branchTip, createGitRunner, text, type GitRunner } from "./git";
import { mergeBranches } from "./merge";
import * as pulls from "./pulls";
import { BERTH_IDENTITY } from "./repository";
import { entryAt, filesUnder } from "./tree";

export type LocalProviderOptions = {
  /** The bare repository (see ensureLocalRepository). */
  repositoryPath: string;
  db: Db;
  /** Berth's public URL: local pull requests are shown at <baseUrl>/gitops/pulls/<number>. */
  baseUrl: string;
  baseBranch?: string;
  gitBinary?: string;
  /** Committer of every commit and author of merge commits. */
  committer?: { name: string; email: string };
};

/** GitOps provider on a local bare repository, with pull requests kept in PostgreSQL. */
export class LocalGitOpsProvider implements GitOpsProvider {
  readonly kind = "local" as const;
  readonly baseBranch: string;
  private readonly git: GitRunner;
  private readonly committer: { name: string; email: string };

  constructor(private readonly opts: LocalProviderOptions) {
    this.baseBranch = opts.baseBranch ?? "main";
    this.git = createGitRunner({ gitDir: path.resolve(opts.repositoryPath), binary: opts.gitBinary });
    this.committer = opts.committer ?? BERTH_IDENTITY;
  }

  /** Our allow-list first (so nothing odd reaches git), then Git's own rules. */
  private async checkBranch(name: string): Promise<void> {
    assertBranchName(name);
    const r = await this.git(["check-ref-format", "--branch", name], { okCodes: [0, 1, 128] });
    if (r.code !== 0) throw new InvalidGitInputError(`Invalid branch name: ${JSON.stringify(name)}`);
  }

  async commitFiles(opts: {
    branch: string;
    base: string;
    message: string;
    author: { name: string; email: string };
    changes: FileChange[];
  }): Promise<{ commitSha: string }> {
    await this.checkBranch(opts.branch);
    await this.checkBranch(opts.base);
    if (opts.branch === opts.base) throw new InvalidGitInputError("commitFiles needs a branch other than its base");
    return commitFilesLocal(this.git, { ...opts, committer: this.committer });
  }

  async openPullRequest(opts: {
    head: string;
    base: string;
    title: string;
    body: string;
    labels: string[];
  }): Promise<PullRequestState> {
    await this.checkBranch(opts.head);
    await this.checkBranch(opts.base);
    const tip = await branchTip(this.git, opts.head);
    if (!tip) throw new ForgeRequestError(422, `Head branch ${opts.head} does not exist`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await pulls.pullForHead(this.opts.db, opts.head);
      // The open one; or the merged one when the branch has not moved since (a retried request).
      if (existing && (existing.state === "open" || (existing.state === "merged" && existing.headSha === tip))) {
        return this.toState(existing);
      }
      const row = await pulls.insertOpenPull(this.opts.db, {
        headBranch: opts.head,
        baseBranch: opts.base,
        title: opts.title,
        body: opts.body,
        labels: [...new Set(opts.labels)],
      });
      if (row) return this.toState(row);
      // A concurrent caller opened it between our read and our insert: read theirs.
    }
    throw new ForgeRequestError(409, `Could not open a pull request for ${opts.head}`);
  }

  async findPullRequest(opts: { head: string }): Promise<PullRequestState | null> {
    assertBranchName(opts.head);
    const row = await pulls.pullForHead(this.opts.db, opts.head);
    return row ? this.toState(row) : null;
  }

  async getPullRequest(number: number): Promise<PullRequestState> {
    return this.toState(await this.mustGet(number));
  }

  async comment(number: number, body: string): Promise<void> {
    await this.mustGet(number);
    await pulls.insertComment(this.opts.db, number, body);
  }

  async mergePullRequest(number: number, opts: { message: string }): Promise<{ mergeCommitSha: string }> {
    // The row lock serialises merges of one pull request; a conflict rolls back to "open".
    return this.opts.db.transaction(async (tx) => {
      const row = await pulls.pullByNumber(tx, number, { forUpdate: true });
      if (!row) throw new ForgeRequestError(404, `Pull request #${number} not found`);
      if (row.state === "merged" && row.mergeCommitSha) return { mergeCommitSha: row.mergeCommitSha };
      if (row.state === "closed") throw new ForgeRequestError(405, `Pull request #${number} is closed`);
      const result = await mergeBranches(this.git, {
        number,
        base: row.baseBranch,
        head: row.headBranch,
        message: opts.message,
        committer: this.committer,
      });
      await pulls.markMerged(tx, number, result);
      return { mergeCommitSha: result.mergeCommitSha };
    });
  }

  async closePullRequest(number: number): Promise<void> {
    const row = await this.mustGet(number);
    if (row.state !== "open") return;
    await pulls.markClosed(this.opts.db, number, await branchTip(this.git, row.headBranch));
  }

  async readFile(opts: { path: string; ref: string }): Promise<string | null> {
    assertFilePath(opts.path);
    const entry = await entryAt(this.git, await this.resolve(opts.ref), opts.path);
    if (entry?.type !== "blob") return null;
    return (await this.git(["cat-file", "blob", entry.sha])).stdout.toString("utf8");
  }

  async listFiles(opts: { dir: string; ref: string }): Promise<string[]> {
    const dir = opts.dir.replace(/\/+$/, "");
    if (dir !== "") assertFilePath(dir);
    return filesUnder(this.git, await this.resolve(opts.ref), dir);
  }

  /** The local provider has no webhooks: merges happen inside Berth. */
  verifyWebhook(): WebhookEvent | null {
    return null;
  }

  private async resolve(ref: string): Promise<string> {
    assertRef(ref);
    const tip = await branchTip(this.git, ref);
    if (tip) return tip;
    const r = await this.git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { okCodes: [0, 1] });
    if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(ref)) throw new ForgeRequestError(404, `Ref ${ref} not found`);
    return text(r);
  }

  private async mustGet(number: number): Promise<LocalPullRequestRow> {
    const row = Number.isSafeInteger(number) ? await pulls.pullByNumber(this.opts.db, number) : null;
    if (!row) throw new ForgeRequestError(404, `Pull request #${number} not found`);
    return row;
  }

  private async toState(row: LocalPullRequestRow): Promise<PullRequestState> {
    return {
      number: row.number,
      url: `${this.opts.baseUrl.replace(/\/+$/, "")}/gitops/pulls/${row.number}`,
      state: row.state,
      headBranch: row.headBranch,
      headSha: row.state === "open" ? await branchTip(this.git, row.headBranch) : row.headSha,
      mergeCommitSha: row.mergeCommitSha,
    };
  }
}
