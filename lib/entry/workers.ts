import "server-only";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { enqueueOpenPullRequest, NOTIFICATION_QUEUE, QUEUES } from "@/lib/jobs/queue";
import { getLogger } from "@/lib/log";
import { deliverNotification } from "@/lib/notifications/channels";
import { sandboxExpiring } from "@/lib/notifications/events";
import { notifyUsers } from "@/lib/notifications/notify";
import type { ForgeContext } from "@/lib/requests/context";
import { openRequestPullRequest } from "@/lib/requests/forge-flow";
import { reconcileRequests } from "@/lib/requests/reconcile";
import { runSandboxJob } from "@/lib/sandboxes/expiry";

/** Runs Berth's jobs in this process: opening pull requests, and the reconcile every minute. */
export async function startWorkers(boss: PgBoss, ctx: () => ForgeContext): Promise<void> {
  const log = getLogger();
  await boss.work<{ requestId: string }>(
    QUEUES.openPullRequest, // NOTIFY wakes a worker on commit; the short backstop and the burst keep a backlog (a flood of
    // submissions, or a forge coming back) moving instead of waiting for further notifications.
    {
      pollingIntervalSeconds: 0.5,
      notifyPollingIntervalSeconds: 0.5,
      burstWhenReadyExceeds: 1,
      batchSize: 1,
      localConcurrency: 4,
    },
    async ([job]) => {
      if (!job) return;
      const outcome = await openRequestPullRequest(ctx(), job.data.requestId);
      log.info({ requestId: job.data.requestId, outcome }, "pull request job done");
    },
  );
  await boss.work(QUEUES.reconcile, { pollingIntervalSeconds: 5 }, async () => {
    const result = await reconcileRequests(ctx(), { enqueue: (id) => enqueueOpenPullRequest(id) });
    if (result.requeued || result.changed || result.errors) log.info(result, "reconcile");
  });
  // pg-boss keeps one schedule per queue across replicas, so the reconcile runs once a minute in all.
  await boss.schedule(QUEUES.reconcile, "* * * * *");
  await boss.work(QUEUES.sandboxExpiry, { pollingIntervalSeconds: 5 }, async () => {
    const { db, baseUrl } = ctx();
    await runSandboxJob({
      db,
      now: new Date(),
      reminderHours: getConfig().sandboxes.reminderHours,
      remind: async ({ userId, tenant, expiresAt }) => {
        await notifyUsers({ db, userIds: [userId], event: sandboxExpiring({ baseUrl, tenant, expiresAt }) });
      },
    });
  });
  await boss.schedule(QUEUES.sandboxExpiry, "* * * * *");
  await startNotificationWorker(boss);
}

/** Runs notification deliveries in this process; pg-boss retries a thrown attempt with backoff. */
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
