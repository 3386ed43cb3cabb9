import "server-only";
import { createHash } from "node:crypto";
import { forgeError } from "./errors";
import type { FileChange } from "./types";
import { assertBranchName, assertChanges, isDirectoryDelete } from "./validation";

// The forge-independent half of commitFiles for the remote forges: decide from the trees
// whether anything must be committed, on which parent, and as which per-file operations.
// Content is compared by Git blob sha, so no file has to be downloaded.

/** Path → blob sha of every file in a commit's tree. */
export type TreeListing = Map<string, string>;

export type PlannedChange =
  | { op: "create" | "update"; path: string; content: string; sha?: string }
  | { op: "delete"; path: string; sha: string };

export type CommitPlan =
  | { kind: "noop"; sha: string }
  | {
      kind: "commit";
      parent: string;
      parentTree: TreeListing;
      createBranch: boolean;
      reset: boolean;
      changes: PlannedChange[];
    };

/** The sha Git gives a blob with this content (SHA-1 object format). */
export function gitBlobSha(content: string): string {
  const data = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}

const under = (tree: TreeListing, prefix: string) => [...tree.keys()].filter((p) => p.startsWith(prefix));

/** The operations that turn `tree` into the desired state; empty when it already is. */
export function planChanges(tree: TreeListing, changes: FileChange[]): PlannedChange[] {
  const out: PlannedChange[] = [];
  for (const c of changes) {
    if ("content" in c) {
      const sha = tree.get(c.path);
      if (sha === undefined) out.push({ op: "create", path: c.path, content: c.content });
      else if (sha !== gitBlobSha(c.content)) out.push({ op: "update", path: c.path, content: c.content, sha });
    } else {
      // Deleting what is not there is a no-op, as with `git rm --ignore-unmatch`.
      const paths = isDirectoryDelete(c) ? under(tree, c.path) : tree.has(c.path) ? [c.path] : [];
      for (const path of paths) out.push({ op: "delete", path, sha: tree.get(path) ?? "" });
    }
  }
  return out;
}

/**
 * Where the one commit goes: nowhere when the tip already has the content; on the branch tip
 * when the branch has commits of its own; else on base (creating or resetting the branch).
 */
export async function planCommit(opts: {
  baseSha: string;
  tip: string | null;
  hasOwnCommits: () => Promise<boolean>;
  treeAt: (sha: string) => Promise<TreeListing>;
  changes: FileChange[];
}): Promise<CommitPlan> {
  assertChanges(opts.changes);
  const tipTree = opts.tip ? await opts.treeAt(opts.tip) : null;
  if (opts.tip && tipTree && planChanges(tipTree, opts.changes).length === 0) return { kind: "noop", sha: opts.tip };
  const own = opts.tip !== null && (await opts.hasOwnCommits());
  const parent = own && opts.tip ? opts.tip : opts.baseSha;
  const parentTree = own && tipTree ? tipTree : await opts.treeAt(opts.baseSha);
  const changes = planChanges(parentTree, opts.changes);
  // Nothing differs from base either: there is nothing to propose.
  if (changes.length === 0) return { kind: "noop", sha: parent };
  return {
    kind: "commit",
    parent,
    parentTree,
    createBranch: opts.tip === null,
    reset: opts.tip !== null && !own,
    changes,
  };
}

/** commitFiles' common start on every remote forge: checked names, both tips, then the plan. */
export async function planBranchCommit(opts: {
  forge: string;
  branch: string;
  base: string;
  changes: FileChange[];
  tipOf: (branch: string) => Promise<string | null>;
  treeAt: (sha: string) => Promise<TreeListing>;
  // Only asked when the branch exists.
  hasOwnCommits: (baseSha: string, tip: string) => Promise<boolean>;
}): Promise<{ plan: CommitPlan; tip: string | null }> {
  assertBranchName(opts.branch);
  assertBranchName(opts.base);
  const baseSha = await opts.tipOf(opts.base);
  if (!baseSha) throw forgeError(`${opts.forge} commit`, 404, `base branch ${opts.base} not found`);
  const tip = await opts.tipOf(opts.branch);
  const plan = await planCommit({
    baseSha,
    tip,
    changes: opts.changes,
    treeAt: opts.treeAt,
    hasOwnCommits: () => opts.hasOwnCommits(baseSha, tip ?? baseSha),
  });
  return { plan, tip };
}

/** Splits a commit message into the title line and the rest (forges that take them apart). */
export function splitMessage(message: string): { title: string; body: string } {
  const [title = "", ...rest] = message.split("\n");
  return { title, body: rest.join("\n").trim() };
}
