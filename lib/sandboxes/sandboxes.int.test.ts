import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { requests, tenants } from "@/db/schema";
import { recordSignIn } from "@/lib/teams/record-sign-in";
import { loadViewer, type Viewer } from "@/lib/auth/viewer";
import { getDb, getPool } from "@/lib/db";
import { actorOf, runJob, setupRequestFixture } from "@/lib/requests/test-support";
import { expireSandboxes, remindSandboxOwners, runSandboxJob } from "./expiry";
import { extendSandbox, requestSandbox, sandboxName } from "./service";

const f = setupRequestFixture();
let nora: Viewer;
beforeEach(async () => {
  nora = (await loadViewer(
    getDb(),
    await recordSignIn({
      db: getDb(),
      identity: {
        subject: "dev:newcomer",
        name: "Nora Newcomer",
        email: "nora.newcomer@example.test",
        groups: ["berth-everyone"],
      },
      adminGroup: "berth-platform-admins",
      clientIp: null,
    }),
  ))!;
});

const HOUR = 3_600_000;
const tenantOf = async (name: string) =>
  (
    await getDb()
      .select({ lifecycle: tenants.lifecycle, expiresAt: tenants.expiresAt, remindedAt: tenants.remindedAt })
      .from(tenants)
      .where(eq(tenants.name, name))
  )[0];
const prCount = async () =>
  (await getPool().query("SELECT count(*)::int AS n FROM local_pull_requests")).rows[0].n as number;

async function sandbox(now = new Date()) {
  const s = await requestSandbox({ db: getDb(), viewer: nora, actor: actorOf(nora), now });
  await runJob(f.ctx(), s.requestId);
  return s;
}

describe("sandboxes", () => {
  it("names sandboxes after their owner as DNS labels", () => {
    expect(sandboxName({ email: "Dev.Patel+test@example.com", name: "x" })).toMatch(/^sbx-dev-patel-test-[0-9a-f]{4}$/);
    expect(sandboxName({ email: null, name: "Ünïcode Ñame" })).toMatch(/^sbx-unicode-name-[0-9a-f]{4}$/);
    expect(sandboxName({ email: `${"a".repeat(60)}@x`, name: "x" }).length).toBeLessThanOrEqual(40);
  });

  it("one click gives a newcomer without a team an auto-approved sandbox with an expiry; one per person", async () => {
    const now = new Date();
    const s = await sandbox(now);
    const [req] = await getDb().select({ state: requests.state }).from(requests).where(eq(requests.id, s.requestId));
    expect(req?.state).toBe("merged");
    const t = await tenantOf(s.tenantName);
    expect(t?.lifecycle).toBe("active");
    expect(Math.abs(t!.expiresAt!.getTime() - (now.getTime() + 168 * HOUR))).toBeLessThan(60_000);
    expect(await f.repo.provider.readFile({ path: `tenants/${s.tenantName}/tenant.yaml`, ref: "main" })).toContain(
      "expiresAt:",
    );
    await expect(requestSandbox({ db: getDb(), viewer: nora, actor: actorOf(nora) })).rejects.toMatchObject({
      field: "template",
      message: expect.stringContaining("the limit is 1 per person"),
    });
  });

  it("extends within the maximum (a PR changing tenant.yaml), and refuses beyond it naming the limit", async () => {
    const s = await sandbox();
    const ext = await extendSandbox({
      db: getDb(),
      viewer: nora,
      actor: actorOf(nora),
      tenantName: s.tenantName,
      hours: 48,
    });
    await runJob(f.ctx(), ext.requestId);
    expect((await tenantOf(s.tenantName))?.expiresAt?.toISOString()).toBe(ext.expiresAt.toISOString());
    expect(await f.repo.provider.readFile({ path: `tenants/${s.tenantName}/tenant.yaml`, ref: "main" })).toContain(
      ext.expiresAt.toISOString(),
    );
    await expect(
      extendSandbox({ db: getDb(), viewer: nora, actor: actorOf(nora), tenantName: s.tenantName, hours: 720 }),
    ).rejects.toMatchObject({ field: "hours", message: expect.stringContaining("at most 720 hours") });
  });

  it("an expired sandbox gets exactly one decommission PR, merged by policy and audited, even with two runners", async () => {
    const s = await sandbox();
    const before = await prCount();
    const later = new Date(Date.now() + 169 * HOUR);
    const [a, b] = await Promise.all([
      expireSandboxes({ db: getDb(), now: later }),
      expireSandboxes({ db: getDb(), now: later }),
    ]);
    expect([...a.expired, ...b.expired]).toEqual([s.tenantName]);
    const [decom] = await getDb().select({ id: requests.id }).from(requests).where(eq(requests.action, "decommission"));
    await runJob(f.ctx(), decom!.id);
    await runJob(f.ctx(), decom!.id);
    expect(await prCount()).toBe(before + 1);
    expect((await tenantOf(s.tenantName))?.lifecycle).toBe("deleted");
    const audit = await getPool().query(
      "SELECT actor_label FROM audit_events WHERE action = 'request.submitted' AND after->>'action' = 'decommission'",
    );
    expect(audit.rows).toEqual([{ actor_label: "berth (sandbox expiry)" }]);
    // Nothing left to expire on the next run.
    expect((await expireSandboxes({ db: getDb(), now: later })).expired).toEqual([]);
  });

  it("reminds the owner once before expiry; the run is recorded", async () => {
    const s = await sandbox();
    const reminders: string[] = [];
    const remind = async (r: { tenant: string }) => void reminders.push(r.tenant);
    const soon = new Date(Date.now() + 150 * HOUR);
    await Promise.all([
      remindSandboxOwners({ db: getDb(), now: soon, hours: 24, remind }),
      remindSandboxOwners({ db: getDb(), now: soon, hours: 24, remind }),
    ]);
    expect(reminders).toEqual([s.tenantName]);
    expect(
      await remindSandboxOwners({ db: getDb(), now: new Date(Date.now() + 10 * HOUR), hours: 24, remind }),
    ).toEqual([]);
    await runSandboxJob({ db: getDb(), now: soon, reminderHours: 24, remind });
    const runs = await getPool().query("SELECT name, outcome FROM job_runs");
    expect(runs.rows).toEqual([{ name: "sandbox-expiry", outcome: { reminded: [], expired: [], skipped: [] } }]);
  });

  it("only the owner (or an admin) can extend a sandbox", async () => {
    const s = await sandbox();
    const dev = (await loadViewer(
      getDb(),
      await recordSignIn({
        db: getDb(),
        identity: { subject: "dev:other", name: "Other", email: "o@x", groups: [] },
        adminGroup: "berth-platform-admins",
        clientIp: null,
      }),
    ))!;
    await expect(
      extendSandbox({ db: getDb(), viewer: dev, actor: actorOf(dev), tenantName: s.tenantName, hours: 1 }),
    ).rejects.toMatchObject({ field: "tenant" });
  });
});
