import "server-only";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { notificationDeliveries, notifications, users } from "@/db/schema";
import { getConfig } from "@/lib/config";
import type { Db, Tx } from "@/lib/db";
import type { SqlExecutor } from "@/lib/db/transaction";
import { DELIVERY_RETRY, getQueue, NOTIFICATION_QUEUE } from "@/lib/jobs/queue";
import { getLogger } from "@/lib/log";
import type { Channel } from "./channels";
import type { NotificationEvent } from "./events";

type NotifyOptions = { db: Db | Tx; event: NotificationEvent; outbox?: SqlExecutor };

/**
 * Puts the event in each user's inbox and queues its e-mail and chat deliveries. Idempotent per
 * (user, event.dedupeKey): calling it again (a retried job, a second replica) adds nothing.
 * Inside a caller's transaction pass `outbox`, so the jobs commit (or roll back) with the rows.
 */
export async function notifyUsers(
  opts: NotifyOptions & { userIds: string[] },
): Promise<{ notified: number; deliveries: number }> {
  // Sorted, so every caller picks the same anchor row for the webhook deliveries below.
  const userIds = [...new Set(opts.userIds)].sort();
  if (userIds.length === 0) return { notified: 0, deliveries: 0 };
  const { event } = opts;
  const channels = getConfig().notifications;
  const { created, deliveryIds } = await inTransaction(opts, async (tx) => {
    const created = await tx
      .insert(notifications)
      .values(
        userIds.map((userId) => ({
          userId,
          kind: event.kind,
          title: event.title,
          body: event.body,
          link: event.link ?? null,
          dedupeKey: event.dedupeKey,
        })),
      )
      .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
      .returning({ id: notifications.id, userId: notifications.userId });
    const rows: { notificationId: string; channel: Channel }[] = [];
    // E-mail is personal: one per newly notified user who has an address.
    if (channels.smtpUrl && created.length > 0) {
      const reachable = await tx
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            inArray(
              users.id,
              created.map((c) => c.userId),
            ),
            isNotNull(users.email),
          ),
        );
      const ok = new Set(reachable.map((u) => u.id));
      for (const c of created) if (ok.has(c.userId)) rows.push({ notificationId: c.id, channel: "email" });
    }
    const webhooks = (["teams", "slack"] as const).filter((c) =>
      c === "teams" ? channels.teamsWebhook : channels.slackWebhook,
    );
    for (const channel of webhooks) {
      const anchor = await webhookAnchor(tx, event.dedupeKey, userIds, channel);
      if (anchor) rows.push({ notificationId: anchor, channel });
    }
    if (rows.length === 0) return { created, deliveryIds: [] as number[] };
    const inserted = await tx
      .insert(notificationDeliveries)
      .values(rows)
      .onConflictDoNothing()
      .returning({ id: notificationDeliveries.id });
    if (opts.outbox)
      await enqueueDeliveries(
        inserted.map((d) => d.id),
        opts.outbox,
      );
    return { created, deliveryIds: inserted.map((d) => d.id) };
  });
  if (!opts.outbox) {
    // The rows are written (committed, or in the caller's transaction): a queue hiccup must not
    // undo the inbox copy, so it is logged and those deliveries stay pending.
    await enqueueDeliveries(deliveryIds).catch((err: Error) =>
      getLogger().warn({ deliveryIds, err: err.message }, "notification deliveries not queued"),
    );
  }
  return { notified: created.length, deliveries: deliveryIds.length };
}

/**
 * Teams and Slack webhooks post into one shared channel, so an event is posted there once, not
 * once per recipient. The delivery row hangs off one notification of the event: the recipient
 * with the lowest user id (deterministic, so concurrent callers pick the same row and the
 * UNIQUE (notification_id, channel) constraint lets only one insert win). A later call with a
 * different set of recipients finds the event's existing delivery by dedupe key and adds none.
 * (That lookup by dedupe_key alone is not index-backed; an index on notifications (dedupe_key)
 * would keep it cheap once the table is large.)
 */
async function webhookAnchor(
  tx: Db | Tx,
  dedupeKey: string,
  userIds: string[],
  channel: Channel,
): Promise<string | null> {
  const [existing] = await tx
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .where(and(eq(notifications.dedupeKey, dedupeKey), eq(notificationDeliveries.channel, channel)))
    .limit(1);
  if (existing) return null;
  const [anchor] = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.dedupeKey, dedupeKey), inArray(notifications.userId, userIds)))
    .orderBy(asc(notifications.userId))
    .limit(1);
  return anchor?.id ?? null;
}

// With an outbox the caller's transaction is the unit (its Db handle may be a bare client inside
// BEGIN, where a nested transaction() would COMMIT early); otherwise the writes get their own.
function inTransaction<T>(opts: NotifyOptions, fn: (tx: Db | Tx) => Promise<T>): Promise<T> {
  return opts.outbox ? fn(opts.db) : opts.db.transaction((tx) => fn(tx));
}

async function enqueueDeliveries(ids: number[], outbox?: SqlExecutor): Promise<void> {
  if (ids.length === 0) return;
  const jobs = ids.map((deliveryId) => ({ data: { deliveryId }, ...DELIVERY_RETRY }));
  await getQueue().insert(NOTIFICATION_QUEUE, jobs, outbox ? { db: outbox } : undefined);
}

/** Notifies every platform admin (optionally only those `only` keeps, e.g. the ones who may approve). */
export async function notifyPlatformAdmins(
  opts: NotifyOptions & { only?: (userId: string) => boolean },
): Promise<{ notified: number; deliveries: number }> {
  const admins = await opts.db.select({ id: users.id }).from(users).where(eq(users.isPlatformAdmin, true));
  const keep = opts.only ?? (() => true);
  return notifyUsers({ ...opts, userIds: admins.map((a) => a.id).filter(keep) });
}
