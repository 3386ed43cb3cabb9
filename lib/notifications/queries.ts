import "server-only";
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { notifications } from "@/db/schema";
import type { Db } from "@/lib/db";

export const INBOX_PAGE_SIZE = 25;

export type InboxItem = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
};

/** One page of a user's inbox, newest first; `hasMore` saves counting the whole inbox. */
export async function listNotifications(
  db: Db,
  userId: string,
  opts: { page?: number; pageSize?: number } = {},
): Promise<{ items: InboxItem[]; page: number; hasMore: boolean }> {
  const pageSize = opts.pageSize ?? INBOX_PAGE_SIZE;
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    // id breaks ties between notifications created in the same transaction, so pages never overlap.
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  return { items: rows.slice(0, pageSize), page, hasMore: rows.length > pageSize };
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}
