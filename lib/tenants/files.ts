import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import { requests } from "@/db/schema";
import type { Db, Tx } from "@/lib/db";
import type { FileChange } from "@/lib/gitops/types";

/** Files the tenant has in the GitOps repository: those of its last merged request (before a given one). */
export async function currentFiles(db: Db | Tx, tenantId: string, before?: Date): Promise<Map<string, string>> {
  const [last] = await db
    .select({ changes: requests.changes })
    .from(requests)
    .where(
      and(
        eq(requests.tenantId, tenantId),
        eq(requests.state, "merged"),
        before ? lt(requests.createdAt, before) : undefined,
      ),
    )
    .orderBy(desc(requests.updatedAt))
    .limit(1);
  const files = new Map<string, string>();
  for (const c of (last?.changes ?? []) as FileChange[]) if (!("delete" in c)) files.set(c.path, c.content);
  return files;
}
