import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * Background work runs on pg-boss, i.e. in PostgreSQL: every portal instance may run workers,
 * and a job is handed to exactly one of them (SELECT … FOR UPDATE SKIP LOCKED).
 */
export const QUEUES = {
  trackRecord: "track-record",
  reconcile: "reconcile",
} as const;

export type TrackRecordJob = { recordRowId: string; attempt: number };

const globalForBoss = globalThis as unknown as { boss?: Promise<PgBoss> };

export function boss(): Promise<PgBoss> {
  globalForBoss.boss ??= (async () => {
    const instance = new PgBoss({ connectionString: env().DATABASE_URL, schema: "pgboss", max: 4, application_name: "quartermaster-jobs" });
    instance.on("error", (err) => logger.error({ err }, "job queue error"));
    await instance.start();
    // stately: at most one queued and one running job per singleton key (one tracker per record).
    await instance.createQueue(QUEUES.trackRecord, { name: QUEUES.trackRecord, policy: "stately", retryLimit: 5, retryBackoff: true });
    await instance.createQueue(QUEUES.reconcile, { name: QUEUES.reconcile, policy: "stately" });
    return instance;
  })().catch((err) => {
    globalForBoss.boss = undefined;
    throw err;
  });
  return globalForBoss.boss;
}

/** Delay before the next DescribeRecord: 1 s, 2 s, 4 s … capped at 30 s. */
export function trackingDelaySeconds(attempt: number): number {
  return Math.min(30, 2 ** Math.max(0, attempt));
}

/** Enqueue tracking of a record; safe to call twice for the same record. */
export async function enqueueTracking(recordRowId: string, attempt = 0): Promise<void> {
  try {
    const queue = await boss();
    await queue.send(QUEUES.trackRecord, { recordRowId, attempt } satisfies TrackRecordJob, {
      singletonKey: recordRowId,
      startAfter: attempt === 0 ? 1 : trackingDelaySeconds(attempt),
    });
  } catch (err) {
    // Reconciliation picks up any record left untracked; the user's action still succeeded.
    logger.warn({ err, recordRowId }, "could not enqueue record tracking");
  }
}

/** Stops this process's queue connection, if it was started (tests, graceful shutdown). */
export async function stopBoss(): Promise<void> {
  const running = globalForBoss.boss;
  globalForBoss.boss = undefined;
  if (running) await (await running.catch(() => null))?.stop({ graceful: false, wait: true });
}
