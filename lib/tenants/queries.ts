import "server-only";
import { and, desc, eq, inArray, notInArray, or, type SQL } from "drizzle-orm";
import { teams, tenants } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import { targetColumns, targetOf, type TenantTarget } from "./target";

export type TenantSummary = TenantTarget & {
  id: string;
  name: string;
  team: string;
  kind: string;
  template: string;
  lifecycle: "pending" | "active" | "decommissioning" | "deleted" | "abandoned";
  ownerId: string;
  parameters: Record<string, unknown>;
  templateName: string;
  templateVersion: string;
};

/** Tenants a viewer may see: their own and their teams' (all for platform admins). */
function visible(viewer: Viewer): SQL | undefined {
  if (can(viewer, "records.view_all")) return undefined;
  const ids = viewer.teams.map((t) => t.id);
  return ids.length ? or(eq(tenants.ownerId, viewer.id), inArray(tenants.teamId, ids)) : eq(tenants.ownerId, viewer.id);
}

const columns = {
  id: tenants.id,
  name: tenants.name,
  team: teams.slug,
  kind: tenants.kind,
  templateName: tenants.templateName,
  templateVersion: tenants.templateVersion,
  lifecycle: tenants.lifecycle,
  ownerId: tenants.ownerId,
  parameters: tenants.parameters,
  ...targetColumns(tenants),
};

function summaryOf(row: Awaited<ReturnType<typeof selectTenants>>[number]): TenantSummary {
  return {
    ...row,
    ...targetOf(row),
    template: `${row.templateName}@${row.templateVersion}`,
    parameters: row.parameters as Record<string, unknown>,
  };
}

const selectTenants = (db: Db) => db.select(columns).from(tenants).innerJoin(teams, eq(teams.id, tenants.teamId));

/** Live tenants the viewer may see (their own and their teams'; everything for platform admins). */
export async function listTenants(db: Db, viewer: Viewer, opts: { mine?: boolean } = {}): Promise<TenantSummary[]> {
  const rows = await selectTenants(db)
    .where(
      and(
        visible(viewer),
        notInArray(tenants.lifecycle, ["deleted", "abandoned"]),
        opts.mine ? eq(tenants.ownerId, viewer.id) : undefined,
      ),
    )
    .orderBy(desc(tenants.createdAt))
    .limit(500);
  return rows.map(summaryOf);
}

export async function getTenant(db: Db, viewer: Viewer, name: string): Promise<TenantSummary | null> {
  const [row] = await selectTenants(db).where(
    and(eq(tenants.name, name), visible(viewer), notInArray(tenants.lifecycle, ["deleted", "abandoned"])),
  );
  return row ? summaryOf(row) : null;
}

/** The subset of `names` the viewer may see, in any lifecycle (pages of deleted tenants still update). */
export async function listTenantNames(db: Db, viewer: Viewer, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .select({ name: tenants.name })
    .from(tenants)
    .where(and(inArray(tenants.name, names), visible(viewer)));
  return [...new Set(rows.map((r) => r.name))];
}
