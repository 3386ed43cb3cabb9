import "server-only";
import { stat } from "node:fs/promises";
import path from "node:path";
import { assertBranchName } from "../validation";
import { branchTip, casUpdateBranch, commitTree, createGitRunner, ZERO_OID } from "./git";
import { buildTree } from "./tree";

export const BERTH_IDENTITY = { name: "Berth", email: "berth@localhost" };

const README = `# GitOps repository

Managed by Berth: every tenant request arrives here as a pull request.
`;

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Creates the bare repository at `repoPath` with an initial commit (a README) on `branch` when it
 * does not exist yet; an existing repository is left as it is. Safe to call at every start.
 */
export async function ensureLocalRepository(
  repoPath: string,
  opts: { branch?: string; gitBinary?: string } = {},
): Promise<void> {
  const branch = opts.branch ?? "main";
  assertBranchName(branch);
  const gitDir = path.resolve(repoPath);
  if (!(await exists(path.join(gitDir, "HEAD")))) {
    await createGitRunner({ binary: opts.gitBinary })([
      "init",
      "--quiet",
      "--bare",
      `--initial-branch=${branch}`,
      "--",
      gitDir,
    ]);
  }
  const git = createGitRunner({ gitDir, binary: opts.gitBinary });
  if (await branchTip(git, branch)) return;
  const tree = await buildTree(git, null, [{ path: "README.md", content: README }]);
  const commit = await commitTree(git, {
    tree,
    parents: [],
    message: "Initial commit\n",
    author: BERTH_IDENTITY,
    committer: BERTH_IDENTITY,
  });
  // A concurrent start may have created it first; either initial commit is fine.
  await casUpdateBranch(git, branch, commit, ZERO_OID);
}
