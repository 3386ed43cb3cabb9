import { InvalidGitInputError } from "./errors";
import type { FileChange } from "./types";

// Our own allow-list, stricter than Git's: branch names end up in URLs, API paths and log lines.
const BRANCH = /^[a-z0-9][a-z0-9._/-]{0,200}$/;

/** Refuses branch names outside the allow-list or that Git would refuse (check-ref-format rules). */
export function assertBranchName(name: string): void {
  const bad =
    !BRANCH.test(name) ||
    name.includes("..") ||
    name.includes("//") ||
    name.endsWith("/") ||
    name.endsWith(".") ||
    name.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"));
  if (bad) throw new InvalidGitInputError(`Invalid branch name: ${JSON.stringify(name)}`);
}

/** A ref given to readFile/listFiles: a branch name or a full commit sha. */
export function assertRef(ref: string): void {
  if (/^[0-9a-f]{40}$/.test(ref) || /^[0-9a-f]{64}$/.test(ref)) return;
  assertBranchName(ref);
}

/**
 * Repository-relative paths only: no absolute paths, no `.`/`..` segments, no `.git`, no control
 * characters. A trailing "/" (directory) is allowed when `directory` is true.
 */
export function assertFilePath(path: string, { directory = false } = {}): void {
  const body = directory && path.endsWith("/") ? path.slice(0, -1) : path;
  const parts = body.split("/");
  const bad =
    body.length === 0 ||
    body.length > 1000 ||
    /[\p{Cc}\\]/u.test(body) ||
    parts.some((p) => p === "" || p === "." || p === ".." || p.toLowerCase() === ".git");
  if (bad) throw new InvalidGitInputError(`Invalid file path: ${JSON.stringify(path)}`);
}

export function isDirectoryDelete(change: FileChange): boolean {
  return "delete" in change && change.path.endsWith("/");
}

/** Validates every change; a directory path ("x/") is only allowed for deletes. */
export function assertChanges(changes: FileChange[]): void {
  if (changes.length === 0) throw new InvalidGitInputError("commitFiles needs at least one change");
  const seen = new Set<string>();
  for (const c of changes) {
    assertFilePath(c.path, { directory: "delete" in c });
    if (seen.has(c.path)) throw new InvalidGitInputError(`Path changed twice in one commit: ${c.path}`);
    seen.add(c.path);
  }
}
