import "server-only";
import { eq } from "drizzle-orm";
import { SANDBOX_TEAM } from "@/lib/auth/policy";
import { teams } from "@/db/schema";
import type { Db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/errors";
import { createTeam } from "@/lib/teams/services";

/** Creates the built-in team of personal sandboxes (SANDBOX_TEAM) once. */
export async function ensureSandboxTeam(db: Db): Promise<void> {
  const [existing] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, SANDBOX_TEAM));
  if (existing) return;
  try {
    await createTeam({
      db,
      actor: { id: null, label: "system", clientIp: null },
      input: {
        slug: SANDBOX_TEAM,
        displayName: "Personal sandboxes",
        description: "Throw-away sandboxes of individual people; each is bound to its owner.",
      },
    });
  } catch (err) {
    // Another replica created it at the same moment.
    if (!isUniqueViolation(err) && !(err instanceof Error && err.message.includes("already exists"))) throw err;
  }
}
