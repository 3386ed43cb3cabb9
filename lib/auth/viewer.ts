import "server-only";
import { asc, eq } from "drizzle-orm";
import { memberships, teams, users, type TeamRole } from "@/db/schema";
import type { Db } from "@/lib/db";

export type Viewer = {
  id: string;
  name: string;
  email: string | null;
  isPlatformAdmin: boolean;
  teams: { id: string; slug: string; displayName: string; role: TeamRole }[];
};

/** The signed-in user with roles as stored now, so a revoked role applies at the next request. */
export async function loadViewer(db: Db, userId: string): Promise<Viewer | null> {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, isPlatformAdmin: users.isPlatformAdmin })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  const rows = await db
    .select({ id: teams.id, slug: teams.slug, displayName: teams.displayName, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(teams.slug));
  return { ...user, teams: rows };
}
