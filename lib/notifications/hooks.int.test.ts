import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { notifications, requests, requestTransitions, teams, tenants, users, type RequestState } from "@/db/schema";
import { getDb } from "@/lib/db";
import { setTestConfig } from "@/tests/support/config";
import { notifyForTransition } from "./hooks";
import { notifyUsers } from "./notify";
import { countUnread, listNotifications } from "./queries";
import { markAllNotificationsRead, markNotificationRead } from "./read-state";

// Only the inbox here: no channel configured, so no job queue is needed.
setTestConfig({
  BERTH_URL: "http://berth.test",
  BERTH_SMTP_URL: "",
  BERTH_TEAMS_WEBHOOK_URL: "",
  BERTH_SLACK_WEBHOOK_URL: "",
});

const db = () => getDb();
type People = { dev: string; ada: string; bob: string; other: string };
let people: People;

beforeEach(async () => {
  const rows = await db()
    .insert(users)
    .values([
      { subject: "t:dev", name: "dev", email: "dev@test" },
      { subject: "t:ada", name: "ada", email: "ada@test", isPlatformAdmin: true },
      { subject: "t:bob", name: "bob", email: "bob@test", isPlatformAdmin: true },
      { subject: "t:other", name: "other", email: "other@test" },
    ])
    .returning({ id: users.id, name: users.name });
  people = Object.fromEntries(rows.map((r) => [r.name, r.id])) as People;
});

/** A request as the request flow leaves it after moving to `to` (with its transition row). */
async function seedRequest(opts: {
  to: RequestState;
  by?: string;
  action?: "create" | "update" | "decommission";
  kind?: string;
  autoApprove?: boolean;
  selfApproval?: boolean;
  reason?: string;
}) {
  const by = opts.by ?? people.dev;
  const [team] = await db()
    .insert(teams)
    .values({ slug: `payments-${Math.random().toString(36).slice(2, 6)}`, displayName: "Payments" })
    .returning({ id: teams.id, slug: teams.slug });
  const common = {
    templateName: "shared-vcluster",
    templateVersion: "1.2.0",
    parameters: {},
    placement: "shared-east/team-pool",
  };
  // Ended requests leave their tenant abandoned or deleted, which frees the name for the next seed.
  const lifecycle =
    opts.to === "deleted" ? "deleted" : ["rejected", "cancelled", "failed"].includes(opts.to) ? "abandoned" : "active";
  const [tenant] = await db()
    .insert(tenants)
    .values({ ...common, name: "pay-stage", teamId: team!.id, ownerId: by, kind: opts.kind ?? "vcluster", lifecycle })
    .returning({ id: tenants.id });
  const [request] = await db()
    .insert(requests)
    .values({
      ...common,
      tenantId: tenant!.id,
      action: opts.action ?? "create",
      state: opts.to,
      requestedBy: by,
      changes: [],
      branch: `berth/request-${tenant!.id}`,
      prNumber: 1,
      autoApprove: opts.autoApprove ?? false,
      selfApproval: opts.selfApproval ?? false,
      reason: opts.reason ?? null,
    })
    .returning({ id: requests.id });
  await db()
    .insert(requestTransitions)
    .values({ requestId: request!.id, toState: opts.to, actorLabel: "test", reason: opts.reason ?? null });
  return { requestId: request!.id, team: team!.slug };
}

const inboxOf = (userId: string) =>
  db()
    .select({
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(asc(notifications.createdAt));

describe("notifyForTransition", () => {
  it("pr_open tells the platform admins, except a requesting admin who may not approve their own", async () => {
    const { requestId, team } = await seedRequest({ to: "pr_open", by: people.bob });
    await notifyForTransition({ db: db(), requestId, to: "pr_open", reason: null });
    expect(await inboxOf(people.ada)).toEqual([
      {
        kind: "request.awaiting_approval",
        title: "Awaiting approval: new tenant pay-stage",
        body: `bob@test requested a new tenant pay-stage (team ${team}, template shared-vcluster@1.2.0). Review it in Berth.`,
        link: `http://berth.test/requests/${requestId}`,
      },
    ]);
    expect(await inboxOf(people.bob)).toEqual([]);
    expect(await inboxOf(people.dev)).toEqual([]);
  });

  it("pr_open of an auto-approving request tells no one", async () => {
    const { requestId } = await seedRequest({ to: "pr_open", autoApprove: true });
    await notifyForTransition({ db: db(), requestId, to: "pr_open", reason: null });
    expect(await countUnread(db(), people.ada)).toBe(0);
  });

  it("merged tells the requester it was approved, once however often the hook runs", async () => {
    const { requestId } = await seedRequest({ to: "merged" });
    await notifyForTransition({ db: db(), requestId, to: "merged", reason: null });
    await notifyForTransition({ db: db(), requestId, to: "merged", reason: null });
    expect(await inboxOf(people.dev)).toMatchObject([
      { kind: "request.approved", title: "Approved: pay-stage", link: `http://berth.test/requests/${requestId}` },
    ]);
    expect(await countUnread(db(), people.ada)).toBe(0);
  });

  it("rejected and failed tell the requester with the reason", async () => {
    const rejected = await seedRequest({ to: "rejected", reason: "use the existing staging tenant" });
    await notifyForTransition({
      db: db(),
      requestId: rejected.requestId,
      to: "rejected",
      reason: "use the existing staging tenant",
    });
    const [r] = await inboxOf(people.dev);
    expect(r).toMatchObject({ kind: "request.rejected", title: "Rejected: pay-stage" });
    expect(r!.body).toContain("Reason: use the existing staging tenant");
    await db().delete(notifications);
    // The reason falls back to the one stored on the request.
    const failed = await seedRequest({ to: "failed", reason: "merge conflict in tenants/pay-stage" });
    await notifyForTransition({ db: db(), requestId: failed.requestId, to: "failed" });
    expect((await inboxOf(people.dev))[0]!.body).toContain("Reason: merge conflict in tenants/pay-stage");
  });

  it("deleted says removed for a sandbox and decommissioned otherwise; cancelled tells no one", async () => {
    const sandbox = await seedRequest({ to: "deleted", action: "decommission", kind: "sandbox" });
    await notifyForTransition({ db: db(), requestId: sandbox.requestId, to: "deleted" });
    const cancelled = await seedRequest({ to: "cancelled" });
    await notifyForTransition({ db: db(), requestId: cancelled.requestId, to: "cancelled" });
    expect((await inboxOf(people.dev)).map((n) => n.title)).toEqual(["Sandbox removed: pay-stage"]);
  });
});

describe("inbox", () => {
  const event = (i: number) => ({ kind: "test", title: `note ${i}`, body: "", dedupeKey: `test:${i}` });

  it("lists newest first with paging and counts unread", async () => {
    for (let i = 1; i <= 5; i++) await notifyUsers({ db: db(), userIds: [people.dev], event: event(i) });
    const first = await listNotifications(db(), people.dev, { page: 1, pageSize: 2 });
    expect(first.items.map((n) => n.title)).toEqual(["note 5", "note 4"]);
    expect(first.hasMore).toBe(true);
    const last = await listNotifications(db(), people.dev, { page: 3, pageSize: 2 });
    expect([last.items.map((n) => n.title), last.hasMore]).toEqual([["note 1"], false]);
    expect(await countUnread(db(), people.dev)).toBe(5);
  });

  it("a user marks only their own notifications read", async () => {
    await notifyUsers({ db: db(), userIds: [people.dev, people.other], event: event(1) });
    await notifyUsers({ db: db(), userIds: [people.dev, people.other], event: event(2) });
    const mine = (await listNotifications(db(), people.dev)).items;
    const theirs = (await listNotifications(db(), people.other)).items;
    // Someone else's id matches nothing.
    expect(await markNotificationRead({ db: db(), userId: people.other, notificationId: mine[0]!.id })).toBe(false);
    expect(await countUnread(db(), people.dev)).toBe(2);
    expect(await markNotificationRead({ db: db(), userId: people.dev, notificationId: mine[0]!.id })).toBe(true);
    expect(await markNotificationRead({ db: db(), userId: people.dev, notificationId: mine[0]!.id })).toBe(false);
    expect(await countUnread(db(), people.dev)).toBe(1);
    expect(await markAllNotificationsRead({ db: db(), userId: people.dev })).toBe(1);
    expect(await countUnread(db(), people.dev)).toBe(0);
    expect(await countUnread(db(), people.other)).toBe(2);
    expect((await listNotifications(db(), people.other)).items.map((n) => n.readAt)).toEqual([null, null]);
    expect(theirs).toHaveLength(2);
  });
});
