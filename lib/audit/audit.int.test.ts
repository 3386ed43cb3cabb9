import { describe, expect, it } from "vitest";
import { recordSignIn } from "@/lib/teams/record-sign-in";
import { loadViewer } from "@/lib/auth/viewer";
import { createPool, getDb } from "@/lib/db";
import { checkReadiness } from "@/lib/db/health";
import { createTeam, mapTeamGroup } from "@/lib/teams/services";
import { listAuditEvents } from "./queries";
import { auditFilters, AUDIT_PAGE_SIZE } from "./schemas";
import { recordAuditEvent } from "./record";

const filters = (raw: Record<string, string> = {}) => auditFilters.parse(raw);
const actor = (label: string) => ({ id: null, label, clientIp: null });

async function viewers() {
  for (const slug of ["payments", "search"]) {
    await createTeam({ db: getDb(), actor: actor("ada@test"), input: { slug, displayName: slug, description: "" } });
    await mapTeamGroup({
      db: getDb(),
      actor: actor("ada@test"),
      teamSlug: slug,
      groupId: `berth-${slug}`,
      role: "member",
    });
  }
  const sign = (s: string, groups: string[]) =>
    recordSignIn({
      db: getDb(),
      identity: { subject: `dev:${s}`, name: s, email: `${s}@test`, groups },
      adminGroup: "berth-platform-admins",
      clientIp: null,
    });
  return {
    admin: (await loadViewer(getDb(), await sign("ada", ["berth-platform-admins"])))!,
    dev: (await loadViewer(getDb(), await sign("dev", ["berth-payments"])))!,
  };
}

describe("audit queries", () => {
  it("filters by actor, team, action family and time range", async () => {
    const { admin } = await viewers();
    const all = await listAuditEvents(getDb(), admin, filters());
    expect(all.rows.length).toBeGreaterThan(4);
    expect(
      (await listAuditEvents(getDb(), admin, filters({ team: "search" }))).rows.every((r) => r.team === "search"),
    ).toBe(true);
    expect(
      (await listAuditEvents(getDb(), admin, filters({ action: "team" }))).rows.map((r) => r.action).sort(),
    ).toEqual(["team.created", "team.created", "team.group_mapped", "team.group_mapped"]);
    expect(
      (await listAuditEvents(getDb(), admin, filters({ actor: "DEV@" }))).rows.every(
        (r) => r.actorLabel === "dev@test",
      ),
    ).toBe(true);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await listAuditEvents(getDb(), admin, filters({ from: future }))).rows).toEqual([]);
    // LIKE wildcards in the filter are literal, not patterns.
    expect((await listAuditEvents(getDb(), admin, filters({ actor: "%" }))).rows).toEqual([]);
  });

  it("shows a member only their teams' events and their own actions", async () => {
    const { dev } = await viewers();
    const rows = (await listAuditEvents(getDb(), dev, filters())).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.team === "payments" || r.actorLabel === "dev@test")).toBe(true);
    expect(rows.some((r) => r.team === "search")).toBe(false);
  });

  it("pages newest first", async () => {
    const { admin } = await viewers();
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      await recordAuditEvent(getDb(), {
        actor: actor("bulk@test"),
        action: "test.bulk",
        subjectType: "test",
        subjectId: String(i),
      });
    }
    const p1 = await listAuditEvents(getDb(), admin, filters({ action: "test.bulk" }));
    const p2 = await listAuditEvents(getDb(), admin, filters({ action: "test.bulk", page: "2" }));
    expect(p1.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(p1.hasMore).toBe(true);
    expect(p1.rows[0]?.subjectId).toBe(String(AUDIT_PAGE_SIZE + 4));
    expect(p2.rows.map((r) => r.subjectId)).toEqual(["4", "3", "2", "1", "0"]);
    expect(p2.hasMore).toBe(false);
  });

  it("rejects bad filters with the field named", () => {
    const r = auditFilters.safeParse({ from: "yesterday", page: "0" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0]).sort()).toEqual(["from", "page"]);
  });
});

describe("readiness", () => {
  it("reports the database", async () => {
    expect(await checkReadiness()).toMatchObject({ status: "ok", checks: { database: { ok: true } } });
  });

  it("reports unavailable, without throwing, when the database is down", async () => {
    const pool = createPool("postgres://berth:secret@127.0.0.1:1/berth", 1);
    const result = await checkReadiness({ pool });
    await pool.end();
    expect(result.status).toBe("unavailable");
    expect(result.checks.database).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(JSON.stringify(result)).not.toContain("secret");
  });
});
