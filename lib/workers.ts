import "server-only";
/**
 * The background workers: pg-boss jobs (lib/jobs, the queue) handed to the services that do the
 * work. The dependency runs one way: services enqueue through lib/jobs, this module calls
 * services, and only the server's start (instrumentation.ts) and tests start it.
 */
import { boss, QUEUES, scheduleTracking, scheduleTransfer, type TrackRecordJob, type TransferJob } from "@/lib/jobs/boss";
import { advanceTransfer, runningTransferIds } from "@/lib/services/transfers";
import { openRecordIds, trackRecord } from "@/lib/services/tracking";
import { reconcile } from "@/lib/services/reconcile";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type PgBoss from "pg-boss";

const globalForWorkers = globalThis as unknown as { workersStarted?: boolean; reconcileTimer?: NodeJS.Timeout };

/** Reconciliation jobs: one waiting per key across all instances (the queue's `short` policy). */
const RECONCILE_KEYS = { startup: "startup", scheduled: "reconcile" } as const;

/** Transfer jobs this instance runs at once. */
const TRANSFER_WORKERS = 3;
/** Records looked at concurrently by one instance (each look is one DescribeRecord). */
const TRACKING_WORKERS = 10;

/** How long a job waits for PostgreSQL to come back before it gives up (less than its queue's expiry). */
const DATABASE_PATIENCE_MS = 45_000;

async function databaseAnswers(queue: PgBoss): Promise<boolean> {
  try {
    await queue.getDb().executeSql("SELECT 1", []);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a job's work; when it fails because PostgreSQL cannot be reached, waits until it answers
 * again and runs the work once more. Without this, a job that fails while the database is away
 * can record neither its failure nor its next step: it stays active until the queue expires it,
 * and the record it was following waits that long. The work must be safe to repeat (tracking and
 * reconciliation are: they write by compare-and-set).
 */
async function despiteDatabaseOutage<T>(queue: PgBoss, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + DATABASE_PATIENCE_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (await databaseAnswers(queue)) throw error;
      logger.warn({ job: what }, "database unreachable; the job waits for it");
      while (!(await databaseAnswers(queue))) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      logger.info({ job: what }, "database back; the job runs again");
    }
  }
}

/**
 * `count` workers on a queue, one job each at a time, each job's work carried through a database
 * outage. An idle worker asks for a job every half second; one that just found a job asks again at
 * once (pg-boss would otherwise wait out the half second after every job, which capped 10 workers
 * at 20 jobs a second and left 200 launches at once waiting 12 s, median, for their status).
 */
async function workers<T extends object>(queue: PgBoss, name: string, count: number, work: (data: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < count; i++) {
    let workerId: string | undefined;
    workerId = await queue.work<T>(name, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async ([job]) => {
      if (!job) return;
      try {
        await despiteDatabaseOutage(queue, name, () => work(job.data));
      } finally {
        if (workerId) queue.notifyWorker(workerId);
      }
    });
  }
}

/** Asks for a reconciliation: `startup` at once, `scheduled` at a given time (or now). */
async function requestReconciliation(queue: PgBoss, key: (typeof RECONCILE_KEYS)[keyof typeof RECONCILE_KEYS], startAfter?: Date): Promise<void> {
  await queue
    .send(QUEUES.reconcile, {}, { singletonKey: key, ...(startAfter ? { startAfter } : {}) })
    .catch((err) => logger.warn({ err }, "could not schedule reconciliation"));
}

/**
 * Starts this instance's workers. Every portal instance may run them; pg-boss hands each job to one.
 * At start-up the instance takes over what a stopped or killed instance may have left half done:
 * it resumes tracking every record still in progress at once, and asks for a reconciliation (one
 * for all instances starting together), which adopts the launches AWS accepted but the database
 * never heard of and re-sends those that never left.
 */
export async function startWorkers(): Promise<void> {
  if (globalForWorkers.workersStarted) return;
  globalForWorkers.workersStarted = true;
  const queue = await boss();

  // Queued before the workers start, so that a job the previous process had already queued for a
  // record is not picked up at the same moment as this one (one waiting job per record).
  const open = await openRecordIds();
  for (const recordRowId of open) await scheduleTracking(recordRowId).catch((err) => logger.warn({ err, recordRowId }, "could not resume record tracking"));
  await requestReconciliation(queue, RECONCILE_KEYS.startup);
  // Transfers that were under way when the previous process stopped go on.
  const transfers = await runningTransferIds();
  for (const transferId of transfers) await scheduleTransfer(transferId).catch((err) => logger.warn({ err, transferId }, "could not resume the transfer"));

  // Several looks at once: one look waits on AWS (and, throttled, on the SDK's backoff), and a
  // single worker made 200 launches at once wait a minute for their status (npm run bench).
  await workers<TrackRecordJob>(queue, QUEUES.trackRecord, TRACKING_WORKERS, async ({ recordRowId, attempt }) => {
    const result = await trackRecord(recordRowId);
    if (result === "in-progress") await scheduleTracking(recordRowId, attempt + 1);
    else logger.info({ recordRowId, result, checks: attempt + 1 }, "record tracking done");
  });

  // A few at a time: an offboarding starts one transfer per product, and a turn may wait on an AWS plan.
  await workers<TransferJob>(queue, QUEUES.transfer, TRANSFER_WORKERS, async ({ transferId, attempt }) => {
    const result = await advanceTransfer(transferId);
    if (result === "wait") await scheduleTransfer(transferId, attempt + 1);
    else logger.info({ transferId, turns: attempt + 1 }, "transfer turn done");
  });

  await queue.work(QUEUES.reconcile, { pollingIntervalSeconds: 2 }, async () => {
    const report = await despiteDatabaseOutage(queue, QUEUES.reconcile, () => reconcile());
    logger.info({ report }, "reconciliation done");
    // Launches too young to be re-sent yet: look again as soon as the youngest may be.
    if (report.nextPendingDueAt) await requestReconciliation(queue, RECONCILE_KEYS.scheduled, report.nextPendingDueAt);
  });


  // Each instance asks; singletonSeconds keeps it to one run per interval across instances.
  const interval = env().RECONCILE_INTERVAL_SECONDS;
  const periodic = () =>
    queue
      .send(QUEUES.reconcile, {}, { singletonKey: RECONCILE_KEYS.scheduled, singletonSeconds: interval })
      .catch((err) => logger.warn({ err }, "could not schedule reconciliation"));
  globalForWorkers.reconcileTimer = setInterval(periodic, interval * 1000);
  globalForWorkers.reconcileTimer.unref();
  logger.info({ reconcileEverySeconds: interval, trackingResumed: open.length }, "background jobs started");
}
