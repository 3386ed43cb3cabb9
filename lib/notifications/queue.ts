import type { JobWithMetadata, PgBoss } from "pg-boss";
import { getDb } from "@/lib/db";
import { deliverNotification, DELIVERY_RETRY_LIMIT } from "./channels";

// Kept apart from notify.ts (which enqueues through lib/jobs/queue.ts), so lib/jobs/queue.ts and
// lib/jobs/workers.ts can import this without an import cycle.

export const NOTIFICATION_QUEUE = "notification-deliver";

// A channel that is down is retried for about a quarter of an hour (15 s, 30 s, … capped at 10 min)
// before its delivery is given up as failed; the inbox copy exists regardless.
export const DELIVERY_RETRY = {
  retryLimit: DELIVERY_RETRY_LIMIT,
  retryDelay: 15,
  retryBackoff: true,
  retryDelayMax: 600,
} as const;

/** Creates the delivery queue (idempotent); called from startQueue. */
export async function ensureNotificationQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(NOTIFICATION_QUEUE, { notify: true, expireInSeconds: 60, ...DELIVERY_RETRY });
}

/** Runs deliveries in this process; pg-boss retries a thrown attempt with backoff. */
export async function startNotificationWorker(boss: PgBoss): Promise<void> {
  // No explicit type arguments: pg-boss infers the options' literal includeMetadata from them.
  await boss.work(
    NOTIFICATION_QUEUE,
    { batchSize: 1, localConcurrency: 4, includeMetadata: true, pollingIntervalSeconds: 2 },
    async ([job]: JobWithMetadata<{ deliveryId: number }>[]) => {
      if (!job) return;
      // pg-boss's own count decides the last attempt too, in case an attempt died without recording it.
      await deliverNotification({
        db: getDb(),
        deliveryId: job.data.deliveryId,
        finalAttempt: job.retryCount >= job.retryLimit,
      });
    },
  );
}
