// The one interface every GitOps backend implements: Berth turns each tenant request into a
// branch with one commit and a pull request against the GitOps repository.

export type FileChange = { path: string; content: string } | { path: string; delete: true };

export type PullRequestState = {
  number: number;
  url: string;
  state: "open" | "merged" | "closed";
  headBranch: string;
  headSha: string | null;
  mergeCommitSha: string | null;
};

export type WebhookEvent = {
  kind: "pull_request";
  action: "opened" | "merged" | "closed" | "reopened" | "synchronized" | "other";
  number: number;
  headBranch: string;
  mergeCommitSha: string | null;
};

export type ProviderKind = "local" | "gitea" | "github" | "gitlab" | "azure-devops";

export interface GitOpsProvider {
  readonly kind: ProviderKind;
  /** The branch requests are merged into (from the provider's configuration). */
  readonly baseBranch: string;
  /**
   * Creates `branch` from `base` (or resets it onto base when it exists but has no commits of its
   * own) and commits exactly `changes` in ONE commit. Idempotent: if the branch tip already has
   * identical content for those paths, no new commit; returns the tip sha. Deleting a directory =
   * delete every file under the path prefix (paths ending in "/").
   */
  commitFiles(opts: {
    branch: string;
    base: string;
    message: string;
    author: { name: string; email: string };
    changes: FileChange[];
  }): Promise<{ commitSha: string }>;
  /** Opens a PR head→base, or returns the existing OPEN (or merged) one for that head branch. */
  openPullRequest(opts: {
    head: string;
    base: string;
    title: string;
    body: string;
    labels: string[];
  }): Promise<PullRequestState>;
  /** The open PR of a head branch, else its most recent one; null when it never had one. */
  findPullRequest(opts: { head: string }): Promise<PullRequestState | null>;
  getPullRequest(number: number): Promise<PullRequestState>;
  comment(number: number, body: string): Promise<void>;
  /** Merges (merge commit). Throws MergeConflictError when it cannot merge cleanly; idempotent. */
  mergePullRequest(number: number, opts: { message: string }): Promise<{ mergeCommitSha: string }>;
  closePullRequest(number: number): Promise<void>;
  /** Reads a file at a ref (null when absent). */
  readFile(opts: { path: string; ref: string }): Promise<string | null>;
  /** Every file (full repository path) below `dir`, recursively, sorted. */
  listFiles(opts: { dir: string; ref: string }): Promise<string[]>;
  /** Verifies the signature/secret against the RAW body; null for events other than PRs. */
  verifyWebhook(opts: { headers: Headers; rawBody: string; secret: string }): WebhookEvent | null;
}
