import { asc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { notificationDeliveries, notifications, users } from "@/db/schema";
import { getDb } from "@/lib/db";
import { transactionWithOutbox } from "@/lib/db/transaction";
import { startNotificationWorker } from "@/lib/entry/workers";
import {
  DELIVERY_RETRY_LIMIT,
  ensureNotificationQueue,
  NOTIFICATION_QUEUE,
  startQueue,
  stopQueue,
} from "@/lib/jobs/queue";
import { setTestConfig } from "@/tests/support/config";
import { deliverNotification } from "./channels";
import type { NotificationEvent } from "./events";
import { notifyUsers } from "./notify";
import { refusedUrl, startSmtpServer, startWebhookServer, unfold } from "./test-support";

let boss: PgBoss;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let teams: Awaited<ReturnType<typeof startWebhookServer>>;
let slack: Awaited<ReturnType<typeof startWebhookServer>>;
const channels = (c: { smtp?: string; teams?: string; slack?: string }) =>
  setTestConfig({
    BERTH_LOG_LEVEL: "error",
    BERTH_URL: "http://berth.test",
    BERTH_SMTP_URL: c.smtp ?? "",
    BERTH_SMTP_FROM: "Berth <berth@berth.test>",
    BERTH_TEAMS_WEBHOOK_URL: c.teams ?? "",
    BERTH_SLACK_WEBHOOK_URL: c.slack ?? "",
  });
const allChannels = () => channels({ smtp: smtp.url, teams: teams.url, slack: slack.url });

beforeAll(async () => {
  [smtp, teams, slack] = await Promise.all([startSmtpServer(), startWebhookServer(), startWebhookServer()]);
  boss = await startQueue(inject("databaseUrl"));
  await ensureNotificationQueue(boss);
});
afterAll(async () => {
  channels({});
  await stopQueue();
  await Promise.all([smtp.close(), teams.close(), slack.close()]);
});
beforeEach(async () => {
  smtp.messages.length = teams.received.length = slack.received.length = 0;
  teams.state.status = slack.state.status = 200;
  // Identities restart per test, so jobs left from an earlier test would point at new rows.
  await boss.deleteAllJobs(NOTIFICATION_QUEUE);
  channels({});
});

const db = () => getDb();
async function seedUsers() {
  const rows = await db()
    .insert(users)
    .values([
      { subject: "t:ada", name: "Ada", email: "ada@example.test" },
      { subject: "t:bob", name: "Bob", email: "bob@example.test" },
      { subject: "t:noa", name: "No Address", email: null },
    ])
    .returning({ id: users.id, name: users.name });
  return Object.fromEntries(rows.map((r) => [r.name.split(" ")[0]!.toLowerCase(), r.id])) as {
    ada: string;
    bob: string;
    no: string;
  };
}
const event = (over: Partial<NotificationEvent> = {}): NotificationEvent => ({
  kind: "request.rejected",
  title: "Rejected: pay-stage",
  body: "Reason: <script>alert(1)</script> *not* _now_",
  link: "http://berth.test/requests/r-1",
  dedupeKey: "request:r-1:rejected",
  ...over,
});
const deliveries = () =>
  db()
    .select({
      id: notificationDeliveries.id,
      channel: notificationDeliveries.channel,
      state: notificationDeliveries.state,
      attempts: notificationDeliveries.attempts,
      lastError: notificationDeliveries.lastError,
      userId: notifications.userId,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .orderBy(asc(notificationDeliveries.id));
const inbox = (userId: string) =>
  db()
    .select({ title: notifications.title, readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.userId, userId));
const jobIds = async () =>
  (await boss.findJobs<{ deliveryId: number }>(NOTIFICATION_QUEUE)).map((j) => j.data.deliveryId).sort();

describe("notifyUsers", () => {
  it("always writes the inbox row, even with no other channel configured", async () => {
    const u = await seedUsers();
    expect(await notifyUsers({ db: db(), userIds: [u.ada, u.no], event: event() })).toEqual({
      notified: 2,
      deliveries: 0,
    });
    expect(await inbox(u.ada)).toEqual([{ title: "Rejected: pay-stage", readAt: null }]);
    expect(await inbox(u.no)).toHaveLength(1);
    expect(await deliveries()).toEqual([]);
  });

  it("deduplicates: a second call adds no row, no delivery and no job; webhooks get one delivery per event", async () => {
    allChannels();
    const u = await seedUsers();
    await notifyUsers({ db: db(), userIds: [u.ada, u.bob, u.no], event: event() });
    const first = await deliveries();
    // E-mail per user with an address; Teams and Slack once for the whole event.
    expect(first.map((d) => d.channel).sort()).toEqual(["email", "email", "slack", "teams"]);
    expect(await notifyUsers({ db: db(), userIds: [u.ada, u.bob, u.no], event: event() })).toEqual({
      notified: 0,
      deliveries: 0,
    });
    // A later call with another recipient set notifies the newcomer only, and posts to no channel again.
    const carl = (
      await db()
        .insert(users)
        .values({ subject: "t:carl", name: "Carl", email: "carl@example.test" })
        .returning({ id: users.id })
    )[0]!.id;
    expect(await notifyUsers({ db: db(), userIds: [carl, u.ada], event: event() })).toEqual({
      notified: 1,
      deliveries: 1,
    });
    const all = await deliveries();
    expect(all).toHaveLength(5);
    expect(all.filter((d) => d.channel !== "email")).toHaveLength(2);
    expect(await inbox(u.ada)).toHaveLength(1);
    expect(await jobIds()).toEqual(all.map((d) => d.id).sort());
  });

  it("with an outbox the jobs commit or roll back with the caller's transaction", async () => {
    channels({ teams: teams.url });
    const u = await seedUsers();
    await expect(
      transactionWithOutbox(async (tx, outbox) => {
        await notifyUsers({ db: tx, outbox, userIds: [u.ada], event: event() });
        throw new Error("caller failed");
      }),
    ).rejects.toThrow("caller failed");
    expect(await inbox(u.ada)).toEqual([]);
    expect(await jobIds()).toEqual([]);
    await transactionWithOutbox((tx, outbox) => notifyUsers({ db: tx, outbox, userIds: [u.ada], event: event() }));
    expect(await jobIds()).toEqual((await deliveries()).map((d) => d.id));
  });
});

describe("deliveries", () => {
  it("sends e-mail, a Teams adaptive card and a Slack message, and marks them sent", async () => {
    allChannels();
    const u = await seedUsers();
    await notifyUsers({ db: db(), userIds: [u.ada], event: event() });
    for (const d of await deliveries()) expect(await deliverNotification({ db: db(), deliveryId: d.id })).toBe("sent");
    expect((await deliveries()).map((d) => [d.channel, d.state, d.attempts])).toEqual([
      ["email", "sent", 1],
      ["teams", "sent", 1],
      ["slack", "sent", 1],
    ]);

    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail).toMatchObject({ from: "berth@berth.test", to: ["ada@example.test"] });
    const source = unfold(mail.data);
    expect(source).toContain("Subject: Rejected: pay-stage");
    expect(source).toContain("http://berth.test/requests/r-1");
    expect(source).toContain('href="http://berth.test/requests/r-1"');
    expect(source).toContain("&#60;script&#62;"); // escaped in the HTML part
    expect(source).not.toMatch(/<p>[^<]*<script>/);

    const card = teams.received[0] as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: { text: string }[]; actions: { type: string; url: string }[] };
      }[];
    };
    expect(card.type).toBe("message");
    expect(card.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0]!.content).toMatchObject({
      type: "AdaptiveCard",
      version: "1.4",
      actions: [{ type: "Action.OpenUrl", url: "http://berth.test/requests/r-1" }],
    });
    expect(card.attachments[0]!.content.body[1]!.text).toContain("\\*not\\*");

    const msg = slack.received[0] as { text: string; blocks: { type: string }[] };
    expect(msg.text).toContain("*Rejected: pay-stage*");
    expect(msg.text).toContain("&lt;script&gt;");
    expect(msg.text).toContain("<http://berth.test/requests/r-1|Open in Berth>");
    expect(msg.blocks.map((b) => b.type)).toEqual(["header", "section", "actions"]);
  });

  it("a channel that is down is retried, then fails; the inbox row and the other channels are unaffected", async () => {
    teams.state.status = 500;
    channels({ smtp: smtp.url, teams: teams.url, slack: await refusedUrl() });
    const u = await seedUsers();
    await notifyUsers({ db: db(), userIds: [u.ada], event: event() });
    const [email, teamsD, slackD] = await deliveries();
    expect(await deliverNotification({ db: db(), deliveryId: email!.id })).toBe("sent");
    // As pg-boss runs the job: the first try and DELIVERY_RETRY_LIMIT retries, each one throwing.
    for (let attempt = 1; attempt <= DELIVERY_RETRY_LIMIT + 1; attempt++) {
      await expect(deliverNotification({ db: db(), deliveryId: teamsD!.id })).rejects.toThrow("HTTP 500");
      await expect(deliverNotification({ db: db(), deliveryId: slackD!.id })).rejects.toThrow("ECONNREFUSED");
      const states = (await deliveries()).slice(1).map((d) => [d.state, d.attempts]);
      const expected = attempt <= DELIVERY_RETRY_LIMIT ? "pending" : "failed";
      expect(states).toEqual([
        [expected, attempt],
        [expected, attempt],
      ]);
    }
    // A stray further run of the job sends nothing.
    expect(await deliverNotification({ db: db(), deliveryId: teamsD!.id })).toBe("skipped");
    expect(teams.received).toHaveLength(DELIVERY_RETRY_LIMIT + 1);
    const final = await deliveries();
    expect(final.map((d) => d.state)).toEqual(["sent", "failed", "failed"]);
    expect(final[1]!.lastError).toContain("upstream broken");
    expect(smtp.messages).toHaveLength(1);
    expect(await inbox(u.ada)).toHaveLength(1);
  });

  it("pg-boss's last attempt fails the delivery even when our count is short (an attempt died unrecorded)", async () => {
    teams.state.status = 503;
    channels({ teams: teams.url });
    const u = await seedUsers();
    await notifyUsers({ db: db(), userIds: [u.ada], event: event() });
    const [d] = await deliveries();
    await expect(deliverNotification({ db: db(), deliveryId: d!.id, finalAttempt: true })).rejects.toThrow("HTTP 503");
    expect((await deliveries())[0]).toMatchObject({ state: "failed", attempts: 1 });
  });

  it("the worker delivers queued jobs on its own", async () => {
    allChannels();
    const u = await seedUsers();
    await startNotificationWorker(boss);
    try {
      await notifyUsers({ db: db(), userIds: [u.ada, u.bob], event: event() });
      await expect
        .poll(async () => (await deliveries()).map((d) => d.state), { timeout: 15_000, interval: 200 })
        .toEqual(["sent", "sent", "sent", "sent"]);
      expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(["ada@example.test", "bob@example.test"]);
      expect([teams.received.length, slack.received.length]).toEqual([1, 1]);
    } finally {
      await boss.offWork(NOTIFICATION_QUEUE);
    }
  });
});
