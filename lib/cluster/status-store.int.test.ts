import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { recordObservation } from "./status-store";
import { seedTenant } from "./tenant-seed";

const sha = (c: string) => c.repeat(40);

async function merged(requestId: string, mergeCommitSha: string) {
  await getDb().execute(sql`UPDATE requests SET merge_commit_sha = ${mergeCommitSha} WHERE id = ${requestId}`);
  await getDb().execute(sql`INSERT INTO request_transitions (request_id, from_state, to_state, actor_label)
    VALUES (${requestId}, 'approved', 'merged', 'test')`);
}

const synced = (revision: string) => ({
  application: { name: "tenant-a", revision, syncStatus: "Synced", healthStatus: "Healthy" },
});

describe("synced to your change", () => {
  it("counts a later merge of Berth's on the branch (Argo CD syncs the head), not an earlier or unknown one", async () => {
    const db = getDb();
    const a = await seedTenant({ name: "tenant-a" });
    const b = await seedTenant({ name: "tenant-b" });
    const earlier = await seedTenant({ name: "tenant-c" });
    await merged(earlier.requestId, sha("c"));
    await merged(a.requestId, sha("a"));
    await merged(b.requestId, sha("b"));
    const at = async (revision: string) => {
      await recordObservation({ db, tenantName: "tenant-a", observation: synced(revision), clusterConnected: true });
      const r = await db.execute<{ synced_to_change: boolean }>(
        sql`SELECT synced_to_change FROM tenant_status WHERE tenant_id = ${a.tenantId}`,
      );
      return r.rows[0]?.synced_to_change;
    };
    expect(await at(sha("a"))).toBe(true);
    expect(await at(sha("b"))).toBe(true);
    expect(await at(sha("c"))).toBe(false);
    expect(await at(sha("d"))).toBe(false);
  });
});
