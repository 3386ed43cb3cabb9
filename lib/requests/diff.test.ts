import { describe, expect, it } from "vitest";
import { diffChanges, diffLines } from "./diff";

describe("diff", () => {
  it("marks added, removed and kept lines", () => {
    expect(diffLines("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual([
      { kind: "same", text: "a" },
      { kind: "add", text: "B" },
      { kind: "del", text: "b" },
      { kind: "same", text: "c" },
      { kind: "add", text: "d" },
    ]);
  });

  it("describes a request's effect on the current files", () => {
    const current = new Map([
      ["tenants/x/a.yaml", "k: 1\n"],
      ["tenants/x/b.yaml", "k: 2\n"],
    ]);
    const d = diffChanges(current, [
      { path: "tenants/x/a.yaml", content: "k: 3\n" },
      { path: "tenants/x/c.yaml", content: "n: 1\n" },
      { path: "tenants/x/b.yaml", delete: true },
    ]);
    expect(d.map((f) => [f.path, f.status])).toEqual([
      ["tenants/x/a.yaml", "modified"],
      ["tenants/x/c.yaml", "added"],
      ["tenants/x/b.yaml", "deleted"],
    ]);
    expect(diffChanges(current, [{ path: "tenants/x/", delete: true }]).map((f) => f.path)).toEqual([
      "tenants/x/a.yaml",
      "tenants/x/b.yaml",
    ]);
  });
});
