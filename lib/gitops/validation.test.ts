import { describe, expect, it } from "vitest";
import { InvalidGitInputError } from "./errors";
import { gitBlobSha, planChanges } from "./plan";
import { assertBranchName, assertFilePath } from "./validation";
import { safeEqual } from "./webhook";

describe("input validation and planning", () => {
  it("accepts Berth's branch names and refuses the rest", () => {
    for (const ok of ["main", "berth/team-a/req-12", "release-1.2", "a"])
      expect(() => assertBranchName(ok)).not.toThrow();
    for (const bad of [
      "../x",
      "a b",
      "-rf",
      "x..y",
      "x//y",
      "x/",
      "x.",
      ".x",
      "x/.y",
      "x.lock",
      "X",
      "a~1",
      "a^",
      "a:b",
      "a@{1}",
      "",
      "a".repeat(202),
    ]) {
      expect(() => assertBranchName(bad), bad).toThrow(InvalidGitInputError);
    }
  });

  it("refuses paths that escape the repository", () => {
    for (const bad of ["/etc/passwd", "../x", "a/../b", ".git/hooks/pre-commit", "a\\b", "a\nb", "", "a//b"]) {
      expect(() => assertFilePath(bad), JSON.stringify(bad)).toThrow(InvalidGitInputError);
    }
    expect(() => assertFilePath("tenants/a/", { directory: true })).not.toThrow();
  });

  it("computes Git blob shas and plans only real changes", () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
    const tree = new Map([
      ["a.yaml", gitBlobSha("a\n")],
      ["d/x", "1"],
      ["d/y", "2"],
      ["dx", "3"],
    ]);
    expect(
      planChanges(tree, [
        { path: "a.yaml", content: "a\n" },
        { path: "d/", delete: true },
        { path: "gone", delete: true },
      ]),
    ).toEqual([
      { op: "delete", path: "d/x", sha: "1" },
      { op: "delete", path: "d/y", sha: "2" },
    ]);
  });

  it("compares secrets of any length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "x")).toBe(false);
  });
});
