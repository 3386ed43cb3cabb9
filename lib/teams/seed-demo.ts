import "server-only";
import { eq } from "drizzle-orm";
import { teams } from "@/db/schema";
import { DEMO_TEAM } from "@/lib/auth/dev-oidc/demo-users";
import type { Db } from "@/lib/db";
import { createTeam, mapTeamGroup } from "./services";

/** With the development provider only: the demo team "payments", created once and audited. */
export async function seedDemoTeam(db: Db): Promise<boolean> {
  const [existing] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, DEMO_TEAM.slug));
  if (existing) return false;
  const actor = { id: null, label: "system (demo seed)", clientIp: null };
  await createTeam({
    db,
    actor,
    input: { slug: DEMO_TEAM.slug, displayName: DEMO_TEAM.displayName, description: DEMO_TEAM.description },
  });
  for (const g of DEMO_TEAM.groups)
    await mapTeamGroup({ db, actor, teamSlug: DEMO_TEAM.slug, groupId: g.groupId, role: g.role });
  return true;
}
