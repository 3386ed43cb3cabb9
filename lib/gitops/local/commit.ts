import "server-only";
import { ForgeRequestError, ForgeUnavailableError } from "../errors";
import type { FileChange } from "../types";
import { assertChanges } from "../validation";
import { branchTip, casUpdateBranch, commitTree, isAncestor, ZERO_OID, type GitRunner } from "./git";
import { buildTree, treeOf } from "./tree";

type Identity = { name: string; email: string };

// Enough for a burst of concurrent writers on one branch; each lost race re-reads and retries.
const MAX_ATTEMPTS = 20;

/**
 * One commit with exactly `changes` on `branch`: from base when the branch is new or has no
 * commits of its own, else on top of the branch. The ref moves by compare-and-swap, so a
 * concurrent writer's commit is never overwritten: the loser rebuilds on the new tip.
 */
export async function commitFilesLocal(
  git: GitRunner,
  opts: { branch: string; base: string; message: string; author: Identity; committer: Identity; changes: FileChange[] },
): Promise<{ commitSha: string }> {
  assertChanges(opts.changes);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const baseSha = await branchTip(git, opts.base);
    if (!baseSha) throw new ForgeRequestError(404, `Base branch ${opts.base} does not exist`);
    const tip = await branchTip(git, opts.branch);
    if (tip) {
      const tipTree = await treeOf(git, tip);
      // Identical content for these paths on the tip: nothing to commit (idempotent retry).
      if ((await buildTree(git, tip, opts.changes)) === tipTree) return { commitSha: tip };
    }
    const ownCommits = tip !== null && !(await isAncestor(git, tip, baseSha));
    const parent = ownCommits && tip ? tip : baseSha;
    const tree = await buildTree(git, parent, opts.changes);
    const commit = await commitTree(git, {
      tree,
      parents: [parent],
      message: opts.message.endsWith("\n") ? opts.message : `${opts.message}\n`,
      author: opts.author,
      committer: opts.committer,
    });
    if (await casUpdateBranch(git, opts.branch, commit, tip ?? ZERO_OID)) return { commitSha: commit };
    // Someone else moved the branch between our read and our write: start over from its new tip.
    await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
  }
  throw new ForgeUnavailableError(`Branch ${opts.branch} kept moving; gave up after ${MAX_ATTEMPTS} attempts`);
}
