import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { notifications } from "@/db/schema";
import type { Db } from "@/lib/db";

// Both filter on user_id: a notification id from someone else's inbox simply matches nothing,
// so no one can mark (or learn about) another user's notifications.

/** Marks one of the user's own notifications read; false when it is not theirs or already read. */
export async function markNotificationRead(opts: { db: Db; userId: string; notificationId: string }): Promise<boolean> {
  const rows = await opts.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.id, opts.notificationId),
        eq(notifications.userId, opts.userId),
        isNull(notifications.readAt),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length > 0;
}

/** Marks all of the user's unread notifications read; returns how many changed. */
export async function markAllNotificationsRead(opts: { db: Db; userId: string }): Promise<number> {
  const rows = await opts.db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, opts.userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
