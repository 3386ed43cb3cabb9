import "server-only";
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Db } from "@/lib/db";
import { syncMemberships } from "@/lib/teams/memberships";

export type SignInIdentity = {
  subject: string; // "<provider>:<sub>"
  name: string;
  email: string | null;
  groups: string[]; // already prefix-filtered
};

/** Upserts the user from a fresh token and refreshes admin flag and team memberships. */
export async function recordSignIn(opts: {
  db: Db;
  identity: SignInIdentity;
  adminGroup: string;
  clientIp: string | null;
}): Promise<string> {
  const { db, identity, adminGroup, clientIp } = opts;
  const isPlatformAdmin = adminGroup !== "" && identity.groups.includes(adminGroup);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ id: users.id, isPlatformAdmin: users.isPlatformAdmin, groups: users.directoryGroups })
      .from(users)
      .where(eq(users.subject, identity.subject));
    const [row] = await tx
      .insert(users)
      .values({
        subject: identity.subject,
        name: identity.name,
        email: identity.email,
        directoryGroups: identity.groups,
        isPlatformAdmin,
      })
      .onConflictDoUpdate({
        target: users.subject,
        set: {
          name: identity.name,
          email: identity.email,
          directoryGroups: identity.groups,
          isPlatformAdmin,
          lastSignInAt: sql`now()`,
        },
      })
      .returning({ id: users.id });
    if (!row) throw new Error("user upsert returned no row");
    const actor = { id: row.id, label: identity.email ?? identity.name, clientIp };
    await recordAuditEvent(tx, {
      actor,
      action: before ? "user.signed_in" : "user.created",
      subjectType: "user",
      subjectId: row.id,
      before: before ? { groups: before.groups, isPlatformAdmin: before.isPlatformAdmin } : null,
      after: { groups: identity.groups, isPlatformAdmin },
    });
    await syncMemberships({ tx, userId: row.id, groups: identity.groups, actor });
    return row.id;
  });
}
