import type { FileChange } from "@/lib/gitops/types";

export type DiffLine = { kind: "same" | "add" | "del"; text: string };
export type FileDiff = { path: string; status: "added" | "modified" | "deleted" | "unchanged"; lines: DiffLine[] };

/** Line diff by longest common subsequence; rendered files are small, so O(n·m) is fine. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ kind: "add", text: b[j++]! });
    } else {
      out.push({ kind: "del", text: a[i++]! });
    }
  }
  return out;
}

/** What a request's changes do to the tenant's current files. */
export function diffChanges(current: Map<string, string>, changes: FileChange[]): FileDiff[] {
  const out: FileDiff[] = [];
  for (const c of changes) {
    if ("delete" in c) {
      const paths = c.path.endsWith("/") ? [...current.keys()].filter((p) => p.startsWith(c.path)) : [c.path];
      for (const p of paths.sort())
        out.push({ path: p, status: "deleted", lines: diffLines(current.get(p) ?? "", "") });
      continue;
    }
    const before = current.get(c.path);
    out.push({
      path: c.path,
      status: before === undefined ? "added" : before === c.content ? "unchanged" : "modified",
      lines: diffLines(before ?? "", c.content),
    });
  }
  return out;
}
