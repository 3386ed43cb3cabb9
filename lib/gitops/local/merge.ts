import "server-only";
import { ForgeRequestError, ForgeUnavailableError, MergeConflictError } from "../errors";
import { branchTip, casUpdateBranch, commitTree, type GitRunner } from "./git";

type Identity = { name: string; email: string };

const MAX_ATTEMPTS = 20;

/**
 * Merges `head` into `base` with a real merge commit (two parents), computed in memory by
 * `git merge-tree --write-tree`; `base` moves by compare-and-swap. A conflict throws
 * MergeConflictError with the conflicted paths and leaves `base` untouched.
 */
export async function mergeBranches(
  git: GitRunner,
  opts: { number: number; base: string; head: string; message: string; committer: Identity },
): Promise<{ mergeCommitSha: string; headSha: string }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const baseSha = await branchTip(git, opts.base);
    const headSha = await branchTip(git, opts.head);
    if (!baseSha) throw new ForgeRequestError(404, `Base branch ${opts.base} does not exist`);
    if (!headSha) throw new ForgeRequestError(422, `Head branch ${opts.head} does not exist`);
    const r = await git(["merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", baseSha, headSha], {
      okCodes: [0, 1],
    });
    // Output: "<tree>\0" then, on conflict (exit 1), one "<path>\0" per conflicted stage.
    const [tree = "", ...rest] = r.stdout.toString("utf8").split("\0");
    if (r.code === 1) throw new MergeConflictError(opts.number, [...new Set(rest.filter(Boolean))].sort());
    const merge = await commitTree(git, {
      tree,
      parents: [baseSha, headSha],
      message: opts.message.endsWith("\n") ? opts.message : `${opts.message}\n`,
      author: opts.committer,
      committer: opts.committer,
    });
    if (await casUpdateBranch(git, opts.base, merge, baseSha)) return { mergeCommitSha: merge, headSha };
    await new Promise((res) => setTimeout(res, Math.random() * 20 * (attempt + 1)));
  }
  throw new ForgeUnavailableError(`Branch ${opts.base} kept moving; gave up merging after ${MAX_ATTEMPTS} attempts`);
}
