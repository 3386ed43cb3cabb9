import { afterAll, beforeEach, inject } from "vitest";
import { closeDb, getPool } from "@/lib/db";
import { setRuntime } from "@/lib/config";

setRuntime({ databaseUrl: inject("databaseUrl"), authSecret: "integration-test-secret-of-32-characters!" });

// Tables emptied before each test. audit_events refuses TRUNCATE by trigger; replica mode skips
// triggers for this session only (needs a superuser, which the test database user is).
const TABLES = [
  "job_runs",
  "notification_deliveries",
  "notifications",
  "status_reader",
  "tenant_status_history",
  "tenant_status",
  "local_pull_request_comments",
  "local_pull_requests",
  "request_transitions",
  "requests",
  "team_quotas",
  "tenants",
  "audit_events",
  "memberships",
  "team_groups",
  "teams",
  "users",
];

export async function resetDatabase(): Promise<void> {
  const client = await getPool().connect();
  try {
    await client.query("SET session_replication_role = replica");
    await client.query(`TRUNCATE ${TABLES.join(", ")} RESTART IDENTITY CASCADE`);
  } finally {
    await client.query("SET session_replication_role = DEFAULT");
    client.release();
  }
}

beforeEach(resetDatabase);
afterAll(closeDb);
