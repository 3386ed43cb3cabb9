import { PgBoss } from "pg-boss";
import type { SqlExecutor } from "@/lib/db/transaction";
import { ensureNotificationQueue } from "@/lib/notifications/queue";

export const QUEUES = {
  openPullRequest: "request-open-pr",
  reconcile: "request-reconcile",
  sandboxExpiry: "sandbox-expiry",
} as const;

const store = globalThis as typeof globalThis & { __berthBoss?: PgBoss };

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
