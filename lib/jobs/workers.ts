import "server-only";
import { boss, enqueueTracking, QUEUES, type TrackRecordJob } from "@/lib/jobs/boss";
import { trackRecord } from "@/lib/services/tracking";
import { reconcile } from "@/lib/services/reconcile";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

const globalForWorkers = globalThis as unknown as { workersStarted?: boolean; reconcileTimer?: NodeJS.Timeout };

/** Starts this instance's workers. Every portal instance may run them; pg-boss hands each job to one. */
export async function startWorkers(): Promise<void> {
  if (globalForWorkers.workersStarted) return;
  globalForWorkers.workersStarted = true;
  const queue = await boss();

  await queue.work<TrackRecordJob>(QUEUES.trackRecord, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
    if (!job) return;
    const result = await trackRecord(job.data.recordRowId);
    if (result === "in-progress") await enqueueTracking(job.data.recordRowId, job.data.attempt + 1);
    else logger.info({ recordRowId: job.data.recordRowId, result, checks: job.data.attempt + 1 }, "record tracking done");
  });

  await queue.work(QUEUES.reconcile, { pollingIntervalSeconds: 2 }, async () => {
    const report = await reconcile();
    logger.info({ report }, "reconciliation done");
  });

  // Each instance asks; the singleton queue plus singletonSeconds keeps it to one run per interval.
  const interval = env().RECONCILE_INTERVAL_SECONDS;
  const request = () =>
    queue.send(QUEUES.reconcile, {}, { singletonKey: "reconcile", singletonSeconds: interval }).catch((err) => logger.warn({ err }, "could not schedule reconciliation"));
  void request();
  globalForWorkers.reconcileTimer = setInterval(request, interval * 1000);
  globalForWorkers.reconcileTimer.unref();
  logger.info({ reconcileEverySeconds: interval }, "background jobs started");
}
