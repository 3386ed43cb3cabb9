import { createHash } from "node:crypto";
import type { FileChange } from "@/lib/gitops/types";

/** A fingerprint as Berth shows and accepts it: `sha256:` and 64 hex digits. */
export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * The fingerprint of what a pull request writes: SHA-256 over every path and the exact bytes
 * (UTF-8) of each file, deletions by path. Length-prefixed, so no two different change sets
 * encode alike, and sorted by path, because a commit has no file order either.
 */
export function fingerprintChanges(changes: readonly FileChange[]): string {
  const hash = createHash("sha256").update("berth-changes-v1\n");
  const field = (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    hash.update(`${bytes.length}:`).update(bytes);
  };
  const sorted = [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const change of sorted) {
    if ("delete" in change) {
      hash.update("D");
      field(change.path);
    } else {
      hash.update("W");
      field(change.path);
      field(change.content);
    }
  }
  return `sha256:${hash.digest("hex")}`;
}
