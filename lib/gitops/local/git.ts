import "server-only";
import { execFile, type ExecFileException } from "node:child_process";

// Git runs with argument vectors only (execFile, no shell) and a fixed, minimal environment:
// no user or system configuration (hooks, signing, autocrlf, aliases) can change what the
// plumbing commands do, and nothing is read from process.env outside lib/config.
const BASE_ENV = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  LANG: "C",
  LC_ALL: "C",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
};

export const ZERO_OID = "0000000000000000000000000000000000000000";

export type GitResult = { code: number; stdout: Buffer; stderr: string };

export type GitRunner = (
  args: string[],
  opts?: { input?: Buffer | string; env?: Record<string, string>; okCodes?: number[] },
) => Promise<GitResult>;

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ""} failed (exit ${code}): ${stderr.trim().slice(0, 500)}`);
    this.name = "GitCommandError";
  }
}

/** A runner bound to one repository (GIT_DIR); exit codes outside okCodes (default [0]) throw. */
export function createGitRunner(opts: { gitDir?: string; binary?: string }): GitRunner {
  const binary = opts.binary ?? "git";
  return (args, { input, env, okCodes = [0] } = {}) =>
    new Promise((resolve, reject) => {
      const child = execFile(
        binary,
        args,
        {
          // Next's typings require NODE_ENV in every env; git does not need it.
          env: {
            ...BASE_ENV,
            ...(opts.gitDir ? { GIT_DIR: opts.gitDir } : {}),
            ...env,
          } as unknown as NodeJS.ProcessEnv,
          encoding: "buffer",
          maxBuffer: 256 * 1024 * 1024,
          timeout: 60_000,
        },
        (err: ExecFileException | null, stdout: Buffer, stderr: Buffer) => {
          const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
          const result = { code, stdout, stderr: stderr.toString("utf8") };
          if (!okCodes.includes(code)) reject(new GitCommandError(args, code, result.stderr || String(err?.message)));
          else resolve(result);
        },
      );
      // Input goes through stdin, never through the argument list.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(input ?? "");
    });
}

export const text = (r: GitResult) => r.stdout.toString("utf8").trim();

/** The commit a branch points at, or null when the branch does not exist. */
export async function branchTip(git: GitRunner, branch: string): Promise<string | null> {
  const r = await git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], { okCodes: [0, 1] });
  return r.code === 0 ? text(r) : null;
}

/** True when `ancestor` is reachable from `descendant`. */
export async function isAncestor(git: GitRunner, ancestor: string, descendant: string): Promise<boolean> {
  const r = await git(["merge-base", "--is-ancestor", ancestor, descendant], { okCodes: [0, 1] });
  return r.code === 0;
}

/**
 * Compare-and-swap of a branch: succeeds only when it still points at `expected` (ZERO_OID: must
 * not exist yet). Returns false when another writer moved it first.
 */
export async function casUpdateBranch(
  git: GitRunner,
  branch: string,
  next: string,
  expected: string,
): Promise<boolean> {
  const r = await git(["update-ref", `refs/heads/${branch}`, next, expected], { okCodes: [0, 1, 128] });
  if (r.code === 0) return true;
  // Lost the race only if the branch really moved; anything else is a genuine failure.
  const now = (await branchTip(git, branch)) ?? ZERO_OID;
  if (now !== expected) return false;
  throw new GitCommandError(["update-ref"], r.code, r.stderr);
}

export async function commitTree(
  git: GitRunner,
  opts: {
    tree: string;
    parents: string[];
    message: string;
    author: { name: string; email: string };
    committer: { name: string; email: string };
  },
): Promise<string> {
  const args = ["commit-tree", opts.tree, ...opts.parents.flatMap((p) => ["-p", p])];
  const env = {
    GIT_AUTHOR_NAME: opts.author.name,
    GIT_AUTHOR_EMAIL: opts.author.email,
    GIT_COMMITTER_NAME: opts.committer.name,
    GIT_COMMITTER_EMAIL: opts.committer.email,
  };
  // The message is read from stdin (no -m) so it can hold anything.
  return text(await git(args, { input: opts.message, env }));
}
