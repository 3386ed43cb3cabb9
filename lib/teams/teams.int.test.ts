import { describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { recordSignIn } from "@/lib/teams/record-sign-in";
import { loadViewer } from "@/lib/auth/viewer";
import { FieldError } from "@/lib/errors";
import { createTeam, mapTeamGroup, unmapTeamGroup } from "./services";
import { getTeamDetail, listTeams } from "./queries";

const actor = { id: null, label: "admin@test", clientIp: "10.1.2.3" };
const count = async (table: string) => Number((await getPool().query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
const signIn = (sub: string, groups: string[]) =>
  recordSignIn({
    db: getDb(),
    identity: { subject: `dev:${sub}`, name: sub, email: `${sub}@test`, groups },
    adminGroup: "berth-platform-admins",
    clientIp: "127.0.0.1",
  });

describe("teams", () => {
  it("creates a team and audits who, what and from where", async () => {
    await createTeam({ db: getDb(), actor, input: { slug: "payments", displayName: "Payments", description: "" } });
    const { rows } = await getPool().query(
      "SELECT actor_label, action, subject_id, host(client_ip) AS ip, before, after FROM audit_events",
    );
    expect(rows).toEqual([
      {
        actor_label: "admin@test",
        action: "team.created",
        subject_id: "payments",
        ip: "10.1.2.3",
        before: null,
        after: { slug: "payments", displayName: "Payments", description: "" },
      },
    ]);
  });

  it("refuses a duplicate team with a field error and writes nothing", async () => {
    await createTeam({ db: getDb(), actor, input: { slug: "payments", displayName: "Payments", description: "" } });
    const before = await count("audit_events");
    const err = await createTeam({
      db: getDb(),
      actor,
      input: { slug: "payments", displayName: "Other", description: "" },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(FieldError);
    expect(err).toMatchObject({ field: "slug", message: 'A team named "payments" already exists.' });
    expect(await count("teams")).toBe(1);
    expect(await count("audit_events")).toBe(before);
  });

  it("maps groups to roles; sign-in grants the strongest role and drops lost ones", async () => {
    await createTeam({ db: getDb(), actor, input: { slug: "payments", displayName: "Payments", description: "" } });
    await mapTeamGroup({ db: getDb(), actor, teamSlug: "payments", groupId: "berth-pay", role: "member" });
    await mapTeamGroup({ db: getDb(), actor, teamSlug: "payments", groupId: "berth-pay-owners", role: "owner" });
    const id = await signIn("olivia", ["berth-pay", "berth-pay-owners"]);
    expect((await loadViewer(getDb(), id))?.teams).toMatchObject([{ slug: "payments", role: "owner" }]);
    await signIn("olivia", ["berth-pay"]);
    expect((await loadViewer(getDb(), id))?.teams).toMatchObject([{ slug: "payments", role: "member" }]);
    await signIn("olivia", []);
    expect((await loadViewer(getDb(), id))?.teams).toEqual([]);
    const actions = (
      await getPool().query("SELECT action FROM audit_events WHERE subject_type = 'user' ORDER BY id")
    ).rows.map((r) => r.action);
    expect(actions).toEqual([
      "user.created",
      "membership.added",
      "user.signed_in",
      "membership.changed",
      "user.signed_in",
      "membership.removed",
    ]);
  });

  it("applies a new mapping to users already known, without waiting for their next sign-in", async () => {
    await createTeam({ db: getDb(), actor, input: { slug: "search", displayName: "Search", description: "" } });
    const id = await signIn("dev", ["berth-search"]);
    expect((await loadViewer(getDb(), id))?.teams).toEqual([]);
    await mapTeamGroup({ db: getDb(), actor, teamSlug: "search", groupId: "berth-search", role: "member" });
    expect((await loadViewer(getDb(), id))?.teams).toMatchObject([{ slug: "search", role: "member" }]);
    await unmapTeamGroup({ db: getDb(), actor, teamSlug: "search", groupId: "berth-search" });
    expect((await loadViewer(getDb(), id))?.teams).toEqual([]);
  });

  it("refuses a duplicate mapping and an unknown team", async () => {
    await createTeam({ db: getDb(), actor, input: { slug: "payments", displayName: "Payments", description: "" } });
    await mapTeamGroup({ db: getDb(), actor, teamSlug: "payments", groupId: "berth-pay", role: "member" });
    await expect(
      mapTeamGroup({ db: getDb(), actor, teamSlug: "payments", groupId: "berth-pay", role: "owner" }),
    ).rejects.toMatchObject({ field: "groupId" });
    await expect(
      mapTeamGroup({ db: getDb(), actor, teamSlug: "nope", groupId: "berth-pay", role: "owner" }),
    ).rejects.toThrow('Team "nope" does not exist.');
    expect(await count("team_groups")).toBe(1);
  });

  it("makes platform admins from the admin group only", async () => {
    const admin = await signIn("ada", ["berth-platform-admins"]);
    const dev = await signIn("dev", ["berth-everyone"]);
    expect((await loadViewer(getDb(), admin))?.isPlatformAdmin).toBe(true);
    expect((await loadViewer(getDb(), dev))?.isPlatformAdmin).toBe(false);
    await signIn("ada", []);
    expect((await loadViewer(getDb(), admin))?.isPlatformAdmin).toBe(false);
  });

  it("shows members only their own teams; other teams are invisible", async () => {
    for (const slug of ["payments", "search"]) {
      await createTeam({ db: getDb(), actor, input: { slug, displayName: slug, description: "" } });
      await mapTeamGroup({ db: getDb(), actor, teamSlug: slug, groupId: `berth-${slug}`, role: "member" });
    }
    const dev = (await loadViewer(getDb(), await signIn("dev", ["berth-payments"])))!;
    const admin = (await loadViewer(getDb(), await signIn("ada", ["berth-platform-admins"])))!;
    expect((await listTeams(getDb(), dev)).map((t) => t.slug)).toEqual(["payments"]);
    expect(await getTeamDetail(getDb(), dev, "search")).toBeNull();
    expect((await listTeams(getDb(), admin)).map((t) => t.slug)).toEqual(["payments", "search"]);
    expect((await getTeamDetail(getDb(), admin, "payments"))?.members).toMatchObject([{ name: "dev", role: "member" }]);
  });
});
