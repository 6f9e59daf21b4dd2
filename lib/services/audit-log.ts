import "server-only";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/services/audit";
import { Prisma } from "@/generated/prisma/client";
import {
  actionMatch,
  csvLine,
  encodeAuditCursor,
  type AuditCursor,
  type AuditFilter,
  type AuditOutcomeName,
  type AuditPageQuery,
} from "@/lib/domain/audit-query";
import type { User } from "@/generated/prisma/client";

/**
 * Reading the audit log: pages of events for the admin page and its API, and the CSV export.
 *
 * Every read is keyset-paged on (created_at, id), newest first: a page is "the next N events
 * after this key", one index range scan, so page 500 costs what page 1 does. Each filter has an
 * index that starts with the filtered column(s) and ends with (created_at, id) (see the
 * AuditEvent model), and the query is written so PostgreSQL can use it: equality on the
 * column, the key as a row comparison `(created_at, id) < (…)`, ORDER BY the same columns.
 * With several filters the planner picks the most selective index and checks the rest.
 *
 * An action prefix (`product.*`) is turned into the list of actions that exist with it: a loose
 * index scan over the action index (one probe per distinct action; there are tens, named by the
 * code) finds them, then `action IN (…)` is planned like any equality. A prefix nothing matches
 * costs no scan at all.
 *
 * A page is at most three queries, whatever it shows: distinct actions (only for a prefix), the
 * page itself, and nothing per row (the actor's email is stored on the event).
 */

export type AuditEventView = {
  id: string;
  createdAt: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  outcome: AuditOutcomeName;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  details: unknown;
};

export type AuditPage = {
  events: AuditEventView[];
  /** Cursor of the next page of older events, if there are any. */
  older: string | null;
  /** Cursor of the page of newer events, when this is not the newest page. */
  newer: string | null;
};

/** More distinct values than this is not what the code writes; a prefix only looks among these. */
const MAX_DISTINCT_VALUES = 1000;
/** Rows per query of the CSV export: large enough to be fast, small enough to bound memory. */
export const EXPORT_BATCH_ROWS = 2000;

type Row = {
  id: string;
  created_at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  outcome: AuditOutcomeName;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  details: unknown;
};

type Key = { createdAt: string; id: string };

const toView = (row: Row): AuditEventView => ({
  id: row.id,
  createdAt: row.created_at,
  actorId: row.actor_id,
  actorEmail: row.actor_email,
  action: row.action,
  outcome: row.outcome,
  targetType: row.target_type,
  targetId: row.target_id,
  requestId: row.request_id,
  details: row.details,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The distinct values of an indexed column, by a loose index scan: each step asks the index for
 * the smallest value above the previous one (a recursive CTE; PostgreSQL has no skip scan).
 */
export function distinctValuesSql(column: "action" | "target_type"): Prisma.Sql {
  const c = Prisma.raw(`"${column}"`);
  return Prisma.sql`
    WITH RECURSIVE v(value) AS (
      (SELECT ${c} FROM audit_events WHERE ${c} IS NOT NULL ORDER BY ${c} LIMIT 1)
      UNION ALL
      SELECT (SELECT e.${c} FROM audit_events e WHERE e.${c} > v.value ORDER BY e.${c} LIMIT 1) FROM v WHERE v.value IS NOT NULL
    )
    SELECT value FROM v WHERE value IS NOT NULL LIMIT ${MAX_DISTINCT_VALUES}`;
}

async function distinctValues(column: "action" | "target_type"): Promise<string[]> {
  const rows = await db.$queryRaw<{ value: string }[]>(distinctValuesSql(column));
  return rows.map((r) => r.value);
}

/** What the filter form offers: the actions and target types the log holds. Two index probes per value. */
export async function listAuditFacets(): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targetTypes] = await Promise.all([distinctValues("action"), distinctValues("target_type")]);
  return { actions, targetTypes };
}

/** The actions an action filter stands for: itself, or those existing with the prefix. */
async function actionsFor(filter: AuditFilter): Promise<string[] | null> {
  if (filter.action === undefined) return null;
  const match = actionMatch(filter.action);
  if ("exact" in match) return [match.exact];
  const all = await distinctValues("action");
  return all.filter((action) => action.startsWith(match.prefix));
}

/**
 * The SQL of one batch: the filters, the key to start after (or before), newest first (or
 * oldest first, for a page of newer events). Exported so the tests can EXPLAIN exactly this.
 */
export function auditPageSql(filter: AuditFilter, actions: string[] | null, bound: { key: Key; direction: "older" | "newer" } | null, limit: number): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (filter.actor !== undefined) {
    where.push(UUID.test(filter.actor) ? Prisma.sql`e.actor_id = ${filter.actor}::uuid` : Prisma.sql`e.actor_email = ${filter.actor}`);
  }
  if (actions !== null) where.push(actions.length === 1 ? Prisma.sql`e.action = ${actions[0]}` : Prisma.sql`e.action IN (${Prisma.join(actions)})`);
  if (filter.targetType !== undefined) where.push(Prisma.sql`e.target_type = ${filter.targetType}`);
  if (filter.targetId !== undefined) where.push(Prisma.sql`e.target_id = ${filter.targetId}`);
  if (filter.outcome !== undefined) where.push(Prisma.sql`e.outcome = ${filter.outcome}::"AuditOutcome"`);
  // created_at is a UTC timestamp without zone; the strings are UTC ISO, whose "Z" the cast ignores.
  if (filter.from !== undefined) where.push(Prisma.sql`e.created_at >= ${filter.from}::timestamp`);
  if (filter.to !== undefined) where.push(Prisma.sql`e.created_at < ${filter.to}::timestamp`);
  const older = bound === null || bound.direction === "older";
  if (bound !== null) {
    const key = Prisma.sql`(${bound.key.createdAt}::timestamp, ${bound.key.id}::uuid)`;
    where.push(older ? Prisma.sql`(e.created_at, e.id) < ${key}` : Prisma.sql`(e.created_at, e.id) > ${key}`);
  }
  // Qualified: the output columns of the same names are text, and ORDER BY would sort by those.
  const order = older ? Prisma.sql`e.created_at DESC, e.id DESC` : Prisma.sql`e.created_at ASC, e.id ASC`;
  return Prisma.sql`
    SELECT e.id::text AS id, to_char(e.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, e.actor_id::text AS actor_id,
           e.actor_email, e.action, e.outcome::text AS outcome, e.target_type, e.target_id, e.request_id, e.details
    FROM audit_events e
    ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY ${order}
    LIMIT ${limit}`;
}

const keyOf = (event: { createdAt: string; id: string }): Key => ({ createdAt: event.createdAt, id: event.id });
const cursorFor = (key: Key, direction: AuditCursor["direction"]) => encodeAuditCursor({ ...key, direction });

/** One page of the audit log, newest first, with the cursors of its neighbours. */
export async function listAuditEvents(query: AuditPageQuery): Promise<AuditPage> {
  const actions = await actionsFor(query);
  const cursor = query.cursor ?? null;
  if (actions !== null && actions.length === 0) {
    return { events: [], older: null, newer: cursor ? cursorFor(cursor, "newer") : null };
  }
  const bound = cursor ? { key: keyOf(cursor), direction: cursor.direction } : null;
  const rows = await db.$queryRaw<Row[]>(auditPageSql(query, actions, bound, query.limit + 1));
  const more = rows.length > query.limit;
  if (cursor === null || cursor.direction === "older") {
    const events = rows.slice(0, query.limit).map(toView);
    const last = events.at(-1);
    const first = events[0];
    return {
      events,
      older: more && last ? cursorFor(keyOf(last), "older") : null,
      newer: cursor === null ? null : first ? cursorFor(keyOf(first), "newer") : cursorFor(keyOf(cursor), "newer"),
    };
  }
  // Newer events were read oldest first from the cursor; shown newest first like every page.
  const events = rows.slice(0, query.limit).reverse().map(toView);
  const first = events[0];
  const last = events.at(-1);
  return {
    events,
    older: last ? cursorFor(keyOf(last), "older") : cursorFor(keyOf(cursor), "older"),
    newer: more && first ? cursorFor(keyOf(first), "newer") : null,
  };
}

// ---------------------------------------------------------------- CSV export

export const AUDIT_CSV_COLUMNS = ["time", "id", "actor_email", "actor_id", "action", "outcome", "target_type", "target_id", "request_id", "details"] as const;

function csvRow(row: Row): string {
  return csvLine([
    row.created_at,
    row.id,
    row.actor_email,
    row.actor_id,
    row.action,
    row.outcome,
    row.target_type,
    row.target_id,
    row.request_id,
    row.details === null || row.details === undefined ? "" : JSON.stringify(row.details),
  ]);
}

/**
 * Every event the filter selects, newest first, as CSV: a stream that reads one keyset batch of
 * EXPORT_BATCH_ROWS when the reader wants more, so memory stays bounded whatever the size of the
 * log, and a client that goes away stops the reading.
 */
export function auditCsvStream(filter: AuditFilter, options: { batchRows?: number } = {}): ReadableStream<Uint8Array> {
  const batchRows = options.batchRows ?? EXPORT_BATCH_ROWS;
  const encoder = new TextEncoder();
  let actions: string[] | null | undefined;
  let after: Key | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            actions = await actionsFor(filter);
            controller.enqueue(encoder.encode(csvLine([...AUDIT_CSV_COLUMNS])));
            if (actions !== null && actions.length === 0) controller.close();
            return;
          }
          const rows = await db.$queryRaw<Row[]>(auditPageSql(filter, actions ?? null, after ? { key: after, direction: "older" } : null, batchRows));
          if (rows.length > 0) {
            controller.enqueue(encoder.encode(rows.map(csvRow).join("")));
            const last = rows[rows.length - 1]!;
            after = { createdAt: last.created_at, id: last.id };
          }
          if (rows.length < batchRows) controller.close();
        } catch (err) {
          // The response has started: the download breaks off (the client sees it fail), and the log says why.
          logger.error({ err, after }, "audit export failed part way");
          controller.error(err);
        }
      },
    },
    // At most one batch waits for the reader.
    { highWaterMark: 1 },
  );
}

/** The export as the admin page downloads it: recorded in the audit log itself, then streamed. */
export async function exportAuditLog(actor: { user: User; requestId?: string | null }, filter: AuditFilter): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  await recordAudit({ actor: actor.user, action: "audit.export", outcome: "SUCCESS", requestId: actor.requestId, details: { filter: definedOnly(filter) } });
  return { filename: `quartermaster-audit-${stamp}.csv`, stream: auditCsvStream(filter) };
}

function definedOnly(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
