import { describe, expect, it } from "vitest";
import { InvalidGitInputError } from "../errors";
import { AUTHOR, commit, git, log, setupLocalRepository } from "./test-support";

describe("local provider: commitFiles", () => {
  const f = setupLocalRepository();

  it("creates the branch from main with exactly one commit holding the files", async () => {
    const mainTip = await git(f, "rev-parse", "main");
    const { commitSha } = await commit(f, "berth/team-a/ns", [
      { path: "tenants/a/namespace.yaml", content: "kind: Namespace\n" },
      { path: "tenants/a/quota.yaml", content: "kind: ResourceQuota\n" },
    ]);
    expect(await git(f, "rev-parse", "berth/team-a/ns")).toBe(commitSha);
    expect(await git(f, "rev-parse", `${commitSha}^`)).toBe(mainTip);
    expect(await git(f, "log", "-1", "--format=%an <%ae>|%s", commitSha)).toBe(
      `${AUTHOR.name} <${AUTHOR.email}>|Change berth/team-a/ns`,
    );
    expect(await f.provider.listFiles({ dir: "tenants", ref: "berth/team-a/ns" })).toEqual([
      "tenants/a/namespace.yaml",
      "tenants/a/quota.yaml",
    ]);
    expect(await f.provider.readFile({ path: "README.md", ref: "berth/team-a/ns" })).toContain("GitOps");
    expect(await f.provider.readFile({ path: "tenants/a/missing.yaml", ref: commitSha })).toBeNull();
  });

  it("is idempotent: the same changes again make no new commit", async () => {
    const changes = [{ path: "tenants/a/namespace.yaml", content: "kind: Namespace\n" }];
    const first = await commit(f, "berth/a", changes);
    const second = await commit(f, "berth/a", changes);
    expect(second.commitSha).toBe(first.commitSha);
    expect(await log(f, "berth/a")).toHaveLength(2);
    // A change adds exactly one more commit on top of the branch's own commit.
    const third = await commit(f, "berth/a", [{ path: "tenants/a/namespace.yaml", content: "kind: Namespace # v2\n" }]);
    expect(await git(f, "rev-parse", `${third.commitSha}^`)).toBe(first.commitSha);
  });

  it("resets a branch without commits of its own onto the current base", async () => {
    await git(f, "update-ref", "refs/heads/berth/stale", "main");
    await commit(f, "berth/other", [{ path: "x.yaml", content: "x\n" }]);
    await git(f, "update-ref", "refs/heads/main", "berth/other");
    const { commitSha } = await commit(f, "berth/stale", [{ path: "y.yaml", content: "y\n" }]);
    expect(await git(f, "rev-parse", `${commitSha}^`)).toBe(await git(f, "rev-parse", "main"));
  });

  it("never loses a commit when writers race on one branch (compare-and-swap)", async () => {
    const writers = Array.from({ length: 8 }, (_, i) =>
      commit(f, "berth/race", [{ path: `race/${i}.yaml`, content: `${i}\n` }]),
    );
    const shas = (await Promise.all(writers)).map((r) => r.commitSha);
    const history = await log(f, "berth/race");
    for (const sha of shas) expect(history).toContain(sha);
    expect(await f.provider.listFiles({ dir: "race", ref: "berth/race" })).toHaveLength(8);
  });

  it("deletes a folder: every file under the prefix, nothing else", async () => {
    await commit(f, "berth/setup", [
      { path: "tenants/a/ns.yaml", content: "a\n" },
      { path: "tenants/a/sub/deep.yaml", content: "deep\n" },
      { path: "tenants/ab/ns.yaml", content: "ab\n" },
    ]);
    const { commitSha } = await commit(f, "berth/setup", [{ path: "tenants/a/", delete: true }]);
    expect(await f.provider.listFiles({ dir: "tenants/", ref: commitSha })).toEqual(["tenants/ab/ns.yaml"]);
    // Deleting a single file, and an already-absent file, in one commit.
    const next = await commit(f, "berth/setup", [
      { path: "tenants/ab/ns.yaml", delete: true },
      { path: "tenants/zz/none.yaml", delete: true },
    ]);
    expect(await f.provider.listFiles({ dir: "tenants", ref: next.commitSha })).toEqual([]);
  });

  it("stores YAML and shell metacharacters byte for byte", async () => {
    const content =
      "a: '$(rm -rf /)'\nb: \"`id`; echo $HOME | tee >x\"\nc: |\n  ümlaut ✓ \\n \t tab\r\n\0nul\n--- &anchor\n";
    const odd = "tenants/we ird/$(x) 'q\" ;|&.yaml";
    const { commitSha } = await commit(f, "berth/meta", [{ path: odd, content }]);
    expect(await f.provider.readFile({ path: odd, ref: commitSha })).toBe(content);
    const blob = await f.git(["cat-file", "blob", `${commitSha}:${odd}`]);
    expect(blob.stdout.equals(Buffer.from(content, "utf8"))).toBe(true);
  });

  it("refuses branch names outside the allow-list or Git's rules, and unsafe paths", async () => {
    for (const bad of ["../x", "a b", "-x", "x..y", "x/.hidden", "x.lock", "Upper", "x/", "x~1", "x^", "x:y", ""]) {
      await expect(commit(f, bad, [{ path: "a", content: "" }]), bad).rejects.toBeInstanceOf(InvalidGitInputError);
    }
    for (const path of ["../etc/passwd", "/abs", ".git/config", "a//b", "a/./b"]) {
      await expect(commit(f, "berth/ok", [{ path, content: "" }]), path).rejects.toBeInstanceOf(InvalidGitInputError);
    }
    expect(await git(f, "for-each-ref", "--format=%(refname)")).toBe("refs/heads/main");
  });
});
