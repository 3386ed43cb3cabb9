import "server-only";
import { and, eq } from "drizzle-orm";
import { teamGroups, teams, type TeamRole } from "@/db/schema";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db";
import { FieldError, isUniqueViolation, NotFoundError } from "@/lib/errors";
import { syncMembershipsForGroup } from "./memberships";
import type { CreateTeamInput } from "./schemas";

/** Creates a team; a taken name is a field error and nothing is written. */
export async function createTeam(opts: {
  db: Db;
  actor: AuditActor;
  input: CreateTeamInput;
}): Promise<{ id: string; slug: string }> {
  const { db, actor, input } = opts;
  try {
    return await db.transaction(async (tx) => {
      const [team] = await tx
        .insert(teams)
        .values({ slug: input.slug, displayName: input.displayName, description: input.description })
        .returning({ id: teams.id, slug: teams.slug });
      if (!team) throw new Error("insert returned no row");
      await recordAuditEvent(tx, {
        actor,
        action: "team.created",
        subjectType: "team",
        subjectId: team.slug,
        teamId: team.id,
        before: null,
        after: input,
      });
      return team;
    });
  } catch (err) {
    if (isUniqueViolation(err, "teams_slug_key"))
      throw new FieldError("slug", `A team named "${input.slug}" already exists.`);
    throw err;
  }
}

async function findTeamId(db: Db, slug: string): Promise<string> {
  const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, slug));
  if (!team) throw new NotFoundError(`Team "${slug}" does not exist.`);
  return team.id;
}

/** Maps a directory group to a team with a role and refreshes affected memberships. */
export async function mapTeamGroup(opts: {
  db: Db;
  actor: AuditActor;
  teamSlug: string;
  groupId: string;
  role: TeamRole;
}): Promise<void> {
  const { db, actor, teamSlug, groupId, role } = opts;
  const teamId = await findTeamId(db, teamSlug);
  try {
    await db.transaction(async (tx) => {
      await tx.insert(teamGroups).values({ teamId, groupId, role });
      await recordAuditEvent(tx, {
        actor,
        action: "team.group_mapped",
        subjectType: "team",
        subjectId: teamSlug,
        teamId,
        before: null,
        after: { groupId, role },
      });
      await syncMembershipsForGroup({ tx, groupId, actor });
    });
  } catch (err) {
    if (isUniqueViolation(err, "team_groups_pkey"))
      throw new FieldError("groupId", `"${groupId}" is already mapped to ${teamSlug}.`);
    throw err;
  }
}

/** Removes a group mapping; members who only had that group lose the team at once. */
export async function unmapTeamGroup(opts: {
  db: Db;
  actor: AuditActor;
  teamSlug: string;
  groupId: string;
}): Promise<void> {
  const { db, actor, teamSlug, groupId } = opts;
  const teamId = await findTeamId(db, teamSlug);
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(teamGroups)
      .where(and(eq(teamGroups.teamId, teamId), eq(teamGroups.groupId, groupId)))
      .returning({ role: teamGroups.role });
    if (removed.length === 0) throw new FieldError("groupId", `"${groupId}" is not mapped to ${teamSlug}.`);
    await recordAuditEvent(tx, {
      actor,
      action: "team.group_unmapped",
      subjectType: "team",
      subjectId: teamSlug,
      teamId,
      before: { groupId, role: removed[0]?.role },
      after: null,
    });
    await syncMembershipsForGroup({ tx, groupId, actor });
  });
}
