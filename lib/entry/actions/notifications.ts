"use server";
import { z } from "zod";
import { authedAction } from "@/lib/entry/action";
import { getDb } from "@/lib/db";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/read-state";

/** Marks one notification of the signed-in user read (someone else's id changes nothing). */
export const markNotificationReadAction = authedAction(
  {
    name: "markNotificationRead",
    schema: z.object({ notificationId: z.uuid("Unknown notification.") }),
    revalidate: ["/"],
  },
  async ({ viewer, input }) => {
    await markNotificationRead({ db: getDb(), userId: viewer.id, notificationId: input.notificationId });
  },
);

/** Marks every unread notification of the signed-in user read. */
export const markAllNotificationsReadAction = authedAction(
  { name: "markAllNotificationsRead", schema: z.object({}), revalidate: ["/"] },
  async ({ viewer }) => {
    await markAllNotificationsRead({ db: getDb(), userId: viewer.id });
  },
);
