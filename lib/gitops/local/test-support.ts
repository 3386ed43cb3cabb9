// Shared setup of the local provider's integration tests (not a test file itself).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { createGitRunner, text, type GitRunner } from "./git";
import { LocalGitOpsProvider } from "./provider";
import { ensureLocalRepository } from "./repository";

export const AUTHOR = { name: "Ada Tenant", email: "ada@example.test" };

export type LocalFixture = { provider: LocalGitOpsProvider; git: GitRunner; repoPath: string };

/** A fresh bare repository per test and empty local pull request tables. */
export function setupLocalRepository(): LocalFixture {
  const fixture = {} as LocalFixture;
  let dir = "";
  beforeEach(async () => {
    // tests/support/db-setup.ts only resets the foundation tables; these are ours to empty.
    await getPool().query("TRUNCATE local_pull_request_comments, local_pull_requests RESTART IDENTITY CASCADE");
    dir = await mkdtemp(path.join(os.tmpdir(), "berth-gitops-"));
    fixture.repoPath = path.join(dir, "gitops.git");
    await ensureLocalRepository(fixture.repoPath);
    fixture.git = createGitRunner({ gitDir: fixture.repoPath });
    fixture.provider = new LocalGitOpsProvider({
      repositoryPath: fixture.repoPath,
      db: getDb(),
      baseUrl: "http://berth.test/",
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return fixture;
}

export async function git(f: LocalFixture, ...args: string[]): Promise<string> {
  return text(await f.git(args));
}

/** Commits on `ref` (first parent chain only), newest first. */
export async function log(f: LocalFixture, ref: string): Promise<string[]> {
  return (await git(f, "rev-list", "--first-parent", ref)).split("\n").filter(Boolean);
}

export function commit(
  f: LocalFixture,
  branch: string,
  changes: Parameters<LocalGitOpsProvider["commitFiles"]>[0]["changes"],
) {
  return f.provider.commitFiles({ branch, base: "main", message: `Change ${branch}`, author: AUTHOR, changes });
}
