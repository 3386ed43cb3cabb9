import "server-only";
import { PgBoss } from "pg-boss";
import type { SqlExecutor } from "@/lib/db/transaction";

// Every queue Berth uses, with its retry policy, in one place of the ground layer: the domains
// enqueue through it and lib/entry/workers.ts runs the workers, so neither imports the other.
export const QUEUES = {
  openPullRequest: "request-open-pr",
  reconcile: "request-reconcile",
  sandboxExpiry: "sandbox-expiry",
  notificationDeliver: "notification-deliver",
} as const;

export const NOTIFICATION_QUEUE = QUEUES.notificationDeliver;

/** pg-boss retries of one delivery job; with the first try that makes DELIVERY_RETRY_LIMIT + 1 attempts. */
export const DELIVERY_RETRY_LIMIT = 5;

// A channel that is down is retried for about a quarter of an hour (15 s, 30 s, … capped at 10 min)
// before its delivery is given up as failed; the inbox copy exists regardless.
export const DELIVERY_RETRY = {
  retryLimit: DELIVERY_RETRY_LIMIT,
  retryDelay: 15,
  retryBackoff: true,
  retryDelayMax: 600,
} as const;

const store = globalThis as typeof globalThis & { __berthBoss?: PgBoss };

/** Creates the notification delivery queue (idempotent); called from startQueue. */
export async function ensureNotificationQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(NOTIFICATION_QUEUE, { notify: true, expireInSeconds: 60, ...DELIVERY_RETRY });
}

/** Starts pg-boss in its own schema and creates Berth's queues (idempotent). */
export async function startQueue(connectionString: string): Promise<PgBoss> {
  // LISTEN/NOTIFY wakes a worker the moment a submission commits, instead of at its next poll.
  const boss = new PgBoss({ connectionString, schema: "pgboss", useListenNotify: true });
  boss.on("error", () => undefined); // surfaced through job failures; a blip must not crash Berth
  await boss.start();
  // Forge outages are retried with exponential backoff for about four minutes in all.
  await boss.createQueue(QUEUES.openPullRequest, {
    notify: true,
    retryLimit: 7,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    expireInSeconds: 120,
  });
  await boss.createQueue(QUEUES.reconcile, { retryLimit: 0, expireInSeconds: 300 });
  await boss.createQueue(QUEUES.sandboxExpiry, { retryLimit: 0, expireInSeconds: 300 });
  await ensureNotificationQueue(boss);
  store.__berthBoss = boss;
  return boss;
}

export function getQueue(): PgBoss {
  if (!store.__berthBoss) throw new Error("job queue not started");
  return store.__berthBoss;
}

export async function stopQueue(): Promise<void> {
  const boss = store.__berthBoss;
  store.__berthBoss = undefined;
  await boss?.stop({ graceful: true, timeout: 10_000 });
}

/** Enqueues the pull-request job; given the submit transaction's executor, atomically with it. */
export async function enqueueOpenPullRequest(requestId: string, outbox?: SqlExecutor): Promise<void> {
  await getQueue().send(
    QUEUES.openPullRequest,
    { requestId },
    { singletonKey: requestId, ...(outbox ? { db: outbox } : {}) },
  );
}
