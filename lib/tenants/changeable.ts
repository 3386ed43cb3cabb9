import "server-only";
import { and, eq } from "drizzle-orm";
import { teams, tenants } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import { FieldError } from "@/lib/errors";
import { targetColumns } from "./target";

/**
 * Loads an active tenant the viewer may change (or decommission). A tenant the policy keeps from
 * the viewer gets the same answer as a missing one, so names of other teams' tenants do not leak.
 */
export async function findChangeableTenant(
  db: Db,
  viewer: Viewer,
  name: string,
  action: "tenant.change" | "tenant.decommission",
) {
  const [row] = await db
    .select({
      id: tenants.id,
      name: tenants.name,
      teamId: tenants.teamId,
      team: teams.slug,
      ownerId: tenants.ownerId,
      kind: tenants.kind,
      templateName: tenants.templateName,
      templateVersion: tenants.templateVersion,
      parameters: tenants.parameters,
      ...targetColumns(tenants),
    })
    .from(tenants)
    .innerJoin(teams, eq(teams.id, tenants.teamId))
    .where(and(eq(tenants.name, name), eq(tenants.lifecycle, "active")));
  if (!row || !can(viewer, action, row))
    throw new FieldError(
      "tenant",
      `No active tenant "${name}" that you may ${action === "tenant.decommission" ? "decommission" : "change"}.`,
    );
  return row;
}

export type ChangeableTenant = Awaited<ReturnType<typeof findChangeableTenant>>;
