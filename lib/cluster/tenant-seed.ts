// Test support without the test environment: a tenant and its latest request, seeded in SQL.
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";

const hex = (n = 3) => crypto.randomBytes(n).toString("hex");

/** A team, a user, a tenant and its latest request, as Berth would have them after a merge. */
export async function seedTenant(opts: {
  name: string;
  kind?: string;
  state?: string;
  action?: string;
  lifecycle?: string;
  mergeCommitSha?: string | null;
}) {
  const db = getDb();
  const suffix = hex();
  const user = await db.execute<{ id: string }>(
    sql`INSERT INTO users (subject, name) VALUES (${`dev:${suffix}`}, 'dev') RETURNING id`,
  );
  const team = await db.execute<{ id: string }>(
    sql`INSERT INTO teams (slug, display_name) VALUES (${`team-${suffix}`}, 'team') RETURNING id`,
  );
  const userId = user.rows[0]!.id;
  const tenant = await db.execute<{ id: string }>(sql`
    INSERT INTO tenants
      (name, team_id, owner_id, kind, template_name, template_version, parameters, placement, lifecycle)
    VALUES (${opts.name}, ${team.rows[0]!.id}, ${userId}, ${opts.kind ?? "shared-vcluster"},
      'shared-vcluster', '1.0.0', '{}', 'shared-east', ${opts.lifecycle ?? "active"})
    RETURNING id`);
  const tenantId = tenant.rows[0]!.id;
  const request = await db.execute<{ id: string }>(sql`
    INSERT INTO requests (tenant_id, action, state, requested_by, template_name, template_version, parameters,
      placement, changes, branch, pr_number, merge_commit_sha)
    VALUES (${tenantId}, ${opts.action ?? "create"}, ${opts.state ?? "merged"}, ${userId}, 'shared-vcluster',
      '1.0.0', '{}', 'shared-east', '{}', ${`berth/${suffix}`}, 1, ${opts.mergeCommitSha ?? null})
    RETURNING id`);
  return { tenantId, requestId: request.rows[0]!.id };
}
