import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { memberships, teamGroups, teams, users, type TeamRole } from "@/db/schema";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { Tx } from "@/lib/db";

type Role = TeamRole;
const rank: Record<Role, number> = { member: 1, owner: 2 };

/** Team roles granted by a set of directory groups: the strongest role per team wins. */
export async function rolesForGroups(tx: Tx, groups: readonly string[]): Promise<Map<string, Role>> {
  const roles = new Map<string, Role>();
  if (groups.length === 0) return roles;
  const rows = await tx
    .select({ teamId: teamGroups.teamId, role: teamGroups.role })
    .from(teamGroups)
    .where(inArray(teamGroups.groupId, [...groups]));
  for (const r of rows) {
    const cur = roles.get(r.teamId);
    if (!cur || rank[r.role] > rank[cur]) roles.set(r.teamId, r.role);
  }
  return roles;
}

/**
 * Makes a user's memberships match their directory groups; audits each change.
 * Returns whether anything changed.
 */
export async function syncMemberships(opts: {
  tx: Tx;
  userId: string;
  groups: readonly string[];
  actor: AuditActor;
}): Promise<boolean> {
  const { tx, userId, actor } = opts;
  const wanted = await rolesForGroups(tx, opts.groups);
  const current = await tx
    .select({ teamId: memberships.teamId, role: memberships.role, slug: teams.slug })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, userId));
  let changed = false;
  for (const m of current) {
    const role = wanted.get(m.teamId);
    if (role === m.role) continue;
    changed = true;
    if (role) {
      await tx
        .update(memberships)
        .set({ role, refreshedAt: sql`now()` })
        .where(and(eq(memberships.userId, userId), eq(memberships.teamId, m.teamId)));
    } else {
      await tx.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.teamId, m.teamId)));
    }
    await recordAuditEvent(tx, {
      actor,
      action: role ? "membership.changed" : "membership.removed",
      subjectType: "user",
      subjectId: userId,
      teamId: m.teamId,
      before: { team: m.slug, role: m.role },
      after: role ? { team: m.slug, role } : null,
    });
  }
  const known = new Set(current.map((m) => m.teamId));
  for (const [teamId, role] of wanted) {
    if (known.has(teamId)) continue;
    changed = true;
    await tx.insert(memberships).values({ teamId, userId, role });
    const [team] = await tx.select({ slug: teams.slug }).from(teams).where(eq(teams.id, teamId));
    await recordAuditEvent(tx, {
      actor,
      action: "membership.added",
      subjectType: "user",
      subjectId: userId,
      teamId,
      before: null,
      after: { team: team?.slug, role },
    });
  }
  if (!changed) {
    await tx.update(memberships).set({ refreshedAt: sql`now()` }).where(eq(memberships.userId, userId));
  }
  return changed;
}

/** After a mapping change, refreshes everyone whose last known groups include the group. */
export async function syncMembershipsForGroup(opts: { tx: Tx; groupId: string; actor: AuditActor }): Promise<number> {
  const affected = await opts.tx
    .select({ id: users.id, groups: users.directoryGroups })
    .from(users)
    .where(sql`${users.directoryGroups} @> ARRAY[${opts.groupId}]::text[]`);
  for (const u of affected) await syncMemberships({ tx: opts.tx, userId: u.id, groups: u.groups, actor: opts.actor });
  return affected.length;
}
