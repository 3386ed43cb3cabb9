import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { ForgeRequestError, MergeConflictError } from "../errors";
import { commit, git, setupLocalRepository } from "./test-support";
import { listComments } from "./pulls";

const pr = (head: string) => ({
  head,
  base: "main",
  title: `Request ${head}`,
  body: "Opened by Berth",
  labels: ["berth", "tenant-a"],
});

describe("local provider: pull requests", () => {
  const f = setupLocalRepository();

  it("opens one pull request per branch, however often it is asked", async () => {
    const { commitSha } = await commit(f, "berth/a", [{ path: "tenants/a/ns.yaml", content: "a\n" }]);
    const first = await f.provider.openPullRequest(pr("berth/a"));
    expect(first).toEqual({
      number: 1,
      url: "http://berth.test/gitops/pulls/1",
      state: "open",
      headBranch: "berth/a",
      headSha: commitSha,
      mergeCommitSha: null,
    });
    const again = await Promise.all([
      f.provider.openPullRequest(pr("berth/a")),
      f.provider.openPullRequest(pr("berth/a")),
    ]);
    expect(again.map((p) => p.number)).toEqual([1, 1]);
    expect(await f.provider.findPullRequest({ head: "berth/a" })).toEqual(first);
    expect(await f.provider.findPullRequest({ head: "berth/none" })).toBeNull();
    await expect(f.provider.openPullRequest(pr("berth/missing"))).rejects.toBeInstanceOf(ForgeRequestError);
  });

  it("merges with a real merge commit on main whose tree has the files", async () => {
    const { commitSha } = await commit(f, "berth/a", [{ path: "tenants/a/ns.yaml", content: "kind: Namespace\n" }]);
    const mainBefore = await git(f, "rev-parse", "main");
    const { number } = await f.provider.openPullRequest(pr("berth/a"));
    const { mergeCommitSha } = await f.provider.mergePullRequest(number, { message: "Merge request #1" });

    expect(await git(f, "rev-parse", "main")).toBe(mergeCommitSha);
    expect((await git(f, "rev-list", "--parents", "-n1", mergeCommitSha)).split(" ").slice(1)).toEqual([
      mainBefore,
      commitSha,
    ]);
    expect(await f.provider.readFile({ path: "tenants/a/ns.yaml", ref: "main" })).toBe("kind: Namespace\n");
    expect(await f.provider.getPullRequest(number)).toMatchObject({
      state: "merged",
      mergeCommitSha,
      headSha: commitSha,
    });

    // Idempotent: merging again returns the same sha, re-opening returns the merged request.
    expect(await f.provider.mergePullRequest(number, { message: "again" })).toEqual({ mergeCommitSha });
    expect(await git(f, "rev-parse", "main")).toBe(mergeCommitSha);
    expect((await f.provider.openPullRequest(pr("berth/a"))).number).toBe(number);
    // Once the branch moves on, a new request for it gets a new pull request.
    await commit(f, "berth/a", [{ path: "tenants/a/ns.yaml", content: "kind: Namespace # v2\n" }]);
    expect((await f.provider.openPullRequest(pr("berth/a"))).number).toBe(number + 1);
  });

  it("refuses a conflicting merge, names the path and leaves main untouched", async () => {
    await commit(f, "berth/one", [
      { path: "shared/config.yaml", content: "owner: one\n" },
      { path: "one.yaml", content: "1\n" },
    ]);
    await commit(f, "berth/two", [
      { path: "shared/config.yaml", content: "owner: two\n" },
      { path: "two.yaml", content: "2\n" },
    ]);
    const one = await f.provider.openPullRequest(pr("berth/one"));
    const two = await f.provider.openPullRequest(pr("berth/two"));
    await f.provider.mergePullRequest(one.number, { message: "Merge one" });
    const mainAfterOne = await git(f, "rev-parse", "main");

    const err = await f.provider.mergePullRequest(two.number, { message: "Merge two" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MergeConflictError);
    expect((err as MergeConflictError).paths).toEqual(["shared/config.yaml"]);
    expect(await git(f, "rev-parse", "main")).toBe(mainAfterOne);
    expect(await f.provider.readFile({ path: "shared/config.yaml", ref: "main" })).toBe("owner: one\n");
    expect((await f.provider.getPullRequest(two.number)).state).toBe("open");
  });

  it("comments and closes; a closed request cannot be merged", async () => {
    await commit(f, "berth/c", [{ path: "c.yaml", content: "c\n" }]);
    const { number } = await f.provider.openPullRequest(pr("berth/c"));
    await f.provider.comment(number, "Plan: 1 to add; `kubectl` says $(ok)");
    expect((await listComments(getDb(), number)).map((c) => c.body)).toEqual(["Plan: 1 to add; `kubectl` says $(ok)"]);
    await f.provider.closePullRequest(number);
    await f.provider.closePullRequest(number);
    expect(await f.provider.getPullRequest(number)).toMatchObject({ state: "closed", mergeCommitSha: null });
    await expect(f.provider.mergePullRequest(number, { message: "m" })).rejects.toMatchObject({ status: 405 });
    await expect(f.provider.comment(999, "x")).rejects.toMatchObject({ status: 404 });
    // After closing, the branch can be proposed again as a new request.
    expect((await f.provider.openPullRequest(pr("berth/c"))).number).toBe(number + 1);
  });
});
