import { and, eq, inArray, or } from "drizzle-orm";
import { tenants } from "@/db/schema";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";

/** The subset of `names` the viewer may see: their own tenants and their teams' (all for admins). */
export async function listTenantNames(db: Db, viewer: Viewer, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const teamIds = viewer.teams.map((t) => t.id);
  const scope = viewer.isPlatformAdmin ? undefined : teamIds.length ? or(eq(tenants.ownerId, viewer.id), inArray(tenants.teamId, teamIds)) : eq(tenants.ownerId, viewer.id);
  const rows = await db.select({ name: tenants.name }).from(tenants).where(and(inArray(tenants.name, names), scope));
  return [...new Set(rows.map((r) => r.name))];
}
