import "server-only";
import { asc, count, eq, inArray } from "drizzle-orm";
import { memberships, teamGroups, teams, users, type TeamRole } from "@/db/schema";
import type { Db } from "@/lib/db";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";

export type TeamSummary = {
  slug: string;
  displayName: string;
  description: string;
  members: number;
  myRole: TeamRole | null;
};

/** Teams the viewer may see: all for platform admins, their own for everyone else. */
export async function listTeams(db: Db, viewer: Viewer): Promise<TeamSummary[]> {
  const mine = new Map(viewer.teams.map((t) => [t.slug, t.role]));
  const base = db
    .select({
      id: teams.id,
      slug: teams.slug,
      displayName: teams.displayName,
      description: teams.description,
      members: count(memberships.userId),
    })
    .from(teams)
    .leftJoin(memberships, eq(memberships.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(teams.slug));
  const rows = can(viewer, "records.view_all")
    ? await base
    : viewer.teams.length === 0
      ? []
      : await base.where(
          inArray(
            teams.slug,
            viewer.teams.map((t) => t.slug),
          ),
        );
  return rows.map((r) => ({
    slug: r.slug,
    displayName: r.displayName,
    description: r.description,
    members: Number(r.members),
    myRole: mine.get(r.slug) ?? null,
  }));
}

export type TeamDetail = {
  slug: string;
  displayName: string;
  description: string;
  groups: { groupId: string; role: TeamRole }[];
  members: { name: string; email: string | null; role: TeamRole }[];
};

/** One team with its group mappings and members, or null when absent or not visible. */
export async function getTeamDetail(db: Db, viewer: Viewer, slug: string): Promise<TeamDetail | null> {
  if (!can(viewer, "team.view", { team: slug })) return null;
  const [team] = await db
    .select({ id: teams.id, slug: teams.slug, displayName: teams.displayName, description: teams.description })
    .from(teams)
    .where(eq(teams.slug, slug));
  if (!team) return null;
  const [groups, members] = await Promise.all([
    db
      .select({ groupId: teamGroups.groupId, role: teamGroups.role })
      .from(teamGroups)
      .where(eq(teamGroups.teamId, team.id))
      .orderBy(asc(teamGroups.groupId)),
    db
      .select({ name: users.name, email: users.email, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.teamId, team.id))
      .orderBy(asc(users.name)),
  ]);
  return { slug: team.slug, displayName: team.displayName, description: team.description, groups, members };
}
