import { and, eq } from "drizzle-orm";
import { teams, tenants } from "@/db/schema";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import { FieldError } from "@/lib/errors";
import { targetColumns } from "./target";

/** Loads a live tenant the viewer may change; other teams' tenants look like missing ones. */
export async function findChangeableTenant(db: Db, viewer: Viewer, name: string, need: "member" | "owner") {
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
  const role = row ? viewer.teams.find((t) => t.slug === row.team)?.role : undefined;
  const allowed =
    row &&
    (viewer.isPlatformAdmin ||
      (row.kind === "sandbox" && row.ownerId === viewer.id) ||
      role === "owner" ||
      (need === "member" && role === "member"));
  if (!row || !allowed)
    throw new FieldError(
      "tenant",
      `No active tenant "${name}" that you may ${need === "owner" ? "decommission" : "change"}.`,
    );
  return row;
}

export type ChangeableTenant = Awaited<ReturnType<typeof findChangeableTenant>>;
