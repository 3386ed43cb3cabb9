import "server-only";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FileChange } from "../types";
import { isDirectoryDelete } from "../validation";
import { text, ZERO_OID, type GitRunner } from "./git";

// Trees are built without a worktree: blobs go in with hash-object, the tree is assembled in a
// throw-away index file (GIT_INDEX_FILE in a temp folder), so concurrent writers never share
// state and nothing is ever checked out.

/** Writes `content` as a blob, byte for byte (UTF-8), and returns its sha. */
export async function writeBlob(git: GitRunner, content: string): Promise<string> {
  return text(await git(["hash-object", "-w", "--stdin"], { input: Buffer.from(content, "utf8") }));
}

/** The tree of `parent` (null: empty tree) with `changes` applied. */
export async function buildTree(git: GitRunner, parent: string | null, changes: FileChange[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "berth-index-"));
  const env = { GIT_INDEX_FILE: path.join(dir, "index") };
  try {
    if (parent) await git(["read-tree", parent], { env });
    else await git(["read-tree", "--empty"], { env });
    const lines: string[] = [];
    for (const change of changes) {
      if ("content" in change) {
        lines.push(`100644 ${await writeBlob(git, change.content)}\t${change.path}`);
      } else if (isDirectoryDelete(change)) {
        // ls-files matches the prefix literally with --literal-pathspecs semantics below.
        const r = await git(["--literal-pathspecs", "ls-files", "-z", "--", change.path], { env });
        for (const p of r.stdout.toString("utf8").split("\0").filter(Boolean)) lines.push(`0 ${ZERO_OID}\t${p}`);
      } else {
        lines.push(`0 ${ZERO_OID}\t${change.path}`);
      }
    }
    // --index-info reads "mode sha<TAB>path" records from stdin (mode 0 removes the path): paths
    // never appear in the argument list. A removal of an absent path is a no-op.
    if (lines.length > 0) {
      await git(["update-index", "-z", "--index-info"], { env, input: lines.map((l) => `${l}\0`).join("") });
    }
    return text(await git(["write-tree"], { env }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function treeOf(git: GitRunner, commit: string): Promise<string> {
  return text(await git(["rev-parse", "--verify", `${commit}^{tree}`]));
}

/** Blob sha and type of `path` at `commit`, or null when absent. */
export async function entryAt(
  git: GitRunner,
  commit: string,
  filePath: string,
): Promise<{ type: string; sha: string } | null> {
  const r = await git(["--literal-pathspecs", "ls-tree", "-z", commit, "--", filePath]);
  const record = r.stdout.toString("utf8").split("\0").find(Boolean);
  if (!record) return null;
  const [meta = "", name] = record.split("\t");
  if (name !== filePath) return null;
  const [, type = "", sha = ""] = meta.split(" ");
  return { type, sha };
}

/** Every file below `dir` at `commit`, full paths, sorted. */
export async function filesUnder(git: GitRunner, commit: string, dir: string): Promise<string[]> {
  const prefix = dir === "" || dir.endsWith("/") ? dir : `${dir}/`;
  const args = ["--literal-pathspecs", "ls-tree", "-r", "-z", "--name-only", commit];
  const r = await git(prefix ? [...args, "--", prefix] : args);
  return r.stdout.toString("utf8").split("\0").filter(Boolean).sort();
}
