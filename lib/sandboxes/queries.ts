import "server-only";
import { and, asc, desc, eq, notInArray } from "drizzle-orm";
import { jobRuns, tenants, tenantStatus, users } from "@/db/schema";
import type { Db } from "@/lib/db";

export type SandboxRow = {
  name: string;
  owner: string;
  createdAt: Date;
  expiresAt: Date | null;
  lifecycle: string;
  phase: string | null;
};

/** Every live sandbox with its owner, soonest expiry first (platform admins). */
export async function listAllSandboxes(db: Db): Promise<SandboxRow[]> {
  return db
    .select({
      name: tenants.name,
      owner: users.email,
      ownerName: users.name,
      createdAt: tenants.createdAt,
      expiresAt: tenants.expiresAt,
      lifecycle: tenants.lifecycle,
      phase: tenantStatus.phase,
    })
    .from(tenants)
    .innerJoin(users, eq(users.id, tenants.ownerId))
    .leftJoin(tenantStatus, eq(tenantStatus.tenantId, tenants.id))
    .where(and(eq(tenants.kind, "sandbox"), notInArray(tenants.lifecycle, ["deleted", "abandoned"])))
    .orderBy(asc(tenants.expiresAt))
    .limit(1000)
    .then((rows) => rows.map((r) => ({ ...r, owner: r.owner ?? r.ownerName })));
}

export async function recentJobRuns(db: Db, name: string, limit = 10) {
  return db
    .select({
      startedAt: jobRuns.startedAt,
      finishedAt: jobRuns.finishedAt,
      outcome: jobRuns.outcome,
      error: jobRuns.error,
    })
    .from(jobRuns)
    .where(eq(jobRuns.name, name))
    .orderBy(desc(jobRuns.startedAt))
    .limit(limit);
}
