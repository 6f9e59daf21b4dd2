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
  transfer: "transfer",
} as const;

export type TrackRecordJob = { recordRowId: string; attempt: number };
export type TransferJob = { transferId: string; attempt: number };

/**
 * How the queues behave, also when a portal process dies in the middle of a job (its job stays
 * "active" until it expires) or PostgreSQL goes away for a while.
 *
 * Policy `short`: at most one queued job per key (one tracker waiting per record, one reconciliation
 * waiting per kind), and no limit on running ones. `stately` also allowed only one running job
 * per key, and pg-boss enforces that when it activates a job: a job left active by a dead process
 * then made the queued job of the same record fail to start, and as pg-boss always fetches the
 * oldest queued job first, every record's tracking behind it waited until the dead job expired
 * (15 minutes by default). Two jobs running at once for one key are safe here: tracking writes a
 * record's outcome by compare-and-set, and reconciliation claims each repair the same way.
 *
 * A tracker job takes a second; one still active after a minute belongs to a dead process and is
 * retried. Reconciliation scans the whole account, so it gets longer.
 */
const QUEUE_OPTIONS = {
  [QUEUES.trackRecord]: { policy: "short", retryLimit: 5, retryBackoff: true, expireInSeconds: 60 },
  [QUEUES.reconcile]: { policy: "short", retryLimit: 2, expireInSeconds: 10 * 60 },
  // One turn of a transfer makes at most a plan (up to ~15 s) and one call.
  [QUEUES.transfer]: { policy: "short", retryLimit: 10, retryBackoff: true, expireInSeconds: 2 * 60 },
} satisfies Record<string, Omit<PgBoss.Queue, "name">>;

const globalForBoss = globalThis as unknown as { boss?: Promise<PgBoss> };

export function boss(): Promise<PgBoss> {
  globalForBoss.boss ??= (async () => {
    // Maintenance (which expires jobs left active by a dead process) every 30 s rather than 2 min.
    // Ten connections: ten tracking and three transfer workers fetch and complete jobs through
    // them, and every launch sends one; four made 200 launches at once wait for a connection.
    const instance = new PgBoss({ connectionString: env().DATABASE_URL, schema: "pgboss", max: 10, application_name: "quartermaster-jobs", maintenanceIntervalSeconds: 30 });
    instance.on("error", (err) => logger.error({ err }, "job queue error"));
    await instance.start();
    for (const [name, options] of Object.entries(QUEUE_OPTIONS)) {
      await instance.createQueue(name, { name, ...options });
      // Queues created by an earlier version keep their old settings otherwise.
      await instance.updateQueue(name, { name, ...options });
    }
    return instance;
  })().catch((err) => {
    globalForBoss.boss = undefined;
    throw err;
  });
  return globalForBoss.boss;
}

/**
 * Delay before the next DescribeRecord: every second for the first three looks, then growing by √2
 * a look (1, 1, 1, 2, 3, 4, 6, 8, 11, 16, 23 s), capped at 30 s. Still O(log duration) looks per
 * record (one more than plain √2 growth), but a record that ends a few seconds in is seen within
 * a second of it: with doubling, 200 launches at once waited 7.4 s for their status (median), with
 * √2 growth from the first look 2.6–4.3 s (npm run bench).
 */
export function trackingDelaySeconds(attempt: number): number {
  return Math.min(30, Math.max(1, Math.round(Math.SQRT2 ** Math.max(0, attempt - 1))));
}

/** Queue the next look at a record; a no-op when one is already waiting. Throws when the queue cannot be reached. */
export async function scheduleTracking(recordRowId: string, attempt = 0): Promise<void> {
  const queue = await boss();
  await queue.send(QUEUES.trackRecord, { recordRowId, attempt } satisfies TrackRecordJob, {
    singletonKey: recordRowId,
    startAfter: attempt === 0 ? 1 : trackingDelaySeconds(attempt),
  });
}

/** Enqueue tracking of a record; safe to call twice for the same record. Never throws. */
export async function enqueueTracking(recordRowId: string, attempt = 0): Promise<void> {
  try {
    await scheduleTracking(recordRowId, attempt);
  } catch (err) {
    // Reconciliation picks up any record left untracked; the user's action still succeeded.
    logger.warn({ err, recordRowId }, "could not enqueue record tracking");
  }
}

/** Queue the next turn of an ownership transfer (lib/services/transfers.ts); one waiting per transfer. */
export async function scheduleTransfer(transferId: string, attempt = 0): Promise<void> {
  const queue = await boss();
  await queue.send(QUEUES.transfer, { transferId, attempt } satisfies TransferJob, {
    singletonKey: transferId,
    startAfter: attempt === 0 ? 1 : trackingDelaySeconds(attempt),
  });
}

/** Enqueue a transfer's next turn; never throws (the transfer row stays RUNNING, and start-up resumes it). */
export async function enqueueTransfer(transferId: string, attempt = 0): Promise<void> {
  try {
    await scheduleTransfer(transferId, attempt);
  } catch (err) {
    logger.warn({ err, transferId }, "could not enqueue the transfer");
  }
}

/**
 * Stops this process's queue connection, if it was started (tests; a graceful shutdown, where the
 * workers stop fetching at once and a job under way gets `timeoutMs` to finish).
 */
export async function stopBoss({ graceful = false, timeoutMs = 30_000 }: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const running = globalForBoss.boss;
  globalForBoss.boss = undefined;
  if (running) await (await running.catch(() => null))?.stop({ graceful, wait: true, timeout: timeoutMs });
}
