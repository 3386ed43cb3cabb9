import "server-only";
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { jobRuns, tenants, users } from "@/db/schema";
import type { Viewer } from "@/lib/auth/viewer";
import type { Db } from "@/lib/db";
import { FieldError } from "@/lib/errors";
import { submitDecommissionRequest } from "@/lib/requests/change";

const EXPIRY_ACTOR = { id: null, label: "berth (sandbox expiry)", clientIp: null };

export type Reminder = (opts: { userId: string; tenant: string; expiresAt: Date }) => Promise<void>;

// The expiry acts as the owner (the request is theirs), whom the policy lets destroy their sandbox.
const onBehalfOf = (ownerId: string): Viewer => ({
  id: ownerId,
  name: "berth",
  email: null,
  isPlatformAdmin: false,
  teams: [],
});

/**
 * Opens the decommission pull request of every expired sandbox (merged by the template's
 * auto-approve policy). Safe with several runners: a tenant has at most one open request, so the
 * second runner's attempt is refused by the database and skipped.
 */
export async function expireSandboxes(opts: { db: Db; now: Date }): Promise<{ expired: string[]; skipped: string[] }> {
  const due = await opts.db
    .select({ name: tenants.name, ownerId: tenants.ownerId, expiresAt: tenants.expiresAt })
    .from(tenants)
    .where(and(eq(tenants.kind, "sandbox"), eq(tenants.lifecycle, "active"), lte(tenants.expiresAt, opts.now)));
  const expired: string[] = [];
  const skipped: string[] = [];
  for (const t of due) {
    try {
      await submitDecommissionRequest({
        db: opts.db,
        viewer: onBehalfOf(t.ownerId),
        actor: EXPIRY_ACTOR,
        tenantName: t.name,
        reason: `expired at ${t.expiresAt?.toISOString()}`,
      });
      expired.push(t.name);
    } catch (err) {
      // Already being decommissioned (or changed) by another request: nothing to do now.
      if (err instanceof FieldError) skipped.push(t.name);
      else throw err;
    }
  }
  return { expired, skipped };
}

/** Reminds each owner once per expiry, `hours` before it. */
export async function remindSandboxOwners(opts: {
  db: Db;
  now: Date;
  hours: number;
  remind: Reminder;
}): Promise<string[]> {
  const horizon = new Date(opts.now.getTime() + opts.hours * 3_600_000);
  const due = await opts.db
    .select({ id: tenants.id, name: tenants.name, ownerId: tenants.ownerId, expiresAt: tenants.expiresAt })
    .from(tenants)
    .innerJoin(users, eq(users.id, tenants.ownerId))
    .where(
      and(
        eq(tenants.kind, "sandbox"),
        eq(tenants.lifecycle, "active"),
        isNull(tenants.remindedAt),
        lte(tenants.expiresAt, horizon),
      ),
    );
  const reminded: string[] = [];
  for (const t of due) {
    // Claim first (compare-and-set), so two runners never remind twice.
    const claimed = await opts.db
      .update(tenants)
      .set({ remindedAt: opts.now })
      .where(and(eq(tenants.id, t.id), isNull(tenants.remindedAt)))
      .returning({ id: tenants.id });
    if (claimed.length === 0) continue;
    await opts.remind({ userId: t.ownerId, tenant: t.name, expiresAt: t.expiresAt! });
    reminded.push(t.name);
  }
  return reminded;
}

/** One scheduled run: reminders, then expiries; recorded for the admins' sandbox page. */
export async function runSandboxJob(opts: {
  db: Db;
  now: Date;
  reminderHours: number;
  remind: Reminder;
}): Promise<void> {
  const started = new Date();
  try {
    const reminded = await remindSandboxOwners({
      db: opts.db,
      now: opts.now,
      hours: opts.reminderHours,
      remind: opts.remind,
    });
    const { expired, skipped } = await expireSandboxes({ db: opts.db, now: opts.now });
    await opts.db
      .insert(jobRuns)
      .values({ name: "sandbox-expiry", startedAt: started, outcome: { reminded, expired, skipped } });
  } catch (err) {
    await opts.db.insert(jobRuns).values({ name: "sandbox-expiry", startedAt: started, error: (err as Error).message });
    throw err;
  } finally {
    // Keep a week of runs.
    await opts.db.delete(jobRuns).where(sql`${jobRuns.startedAt} < now() - interval '7 days'`);
  }
}
