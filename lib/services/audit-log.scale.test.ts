/**
 * The audit log at 1,000,000 events (seeded with generate_series: 2,000 people with a few heavy
 * ones, a realistic mix of actions, outcomes and targets over two years, some equal timestamps):
 * - every filter combination the page offers is planned on an index (EXPLAIN: no sequential
 *   scan), and page 500 reads about as many buffers as page 1 (keyset paging);
 * - the CSV export streams all 1,000,000 rows with bounded memory, and a filtered export is
 *   exactly the filtered rows.
 * Prints the measured numbers (page times, export rows/s, peak memory).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import type { Prisma } from "@/generated/prisma/client";
import type { AuditFilter } from "@/lib/domain/audit-query";
import { seedAuditEvents } from "@/test/support/audit-seed";

const EVENTS = 1_000_000;
const PAGE = 50;
const DEEP_PAGE = 500;

let backend: PortalBackend;
let client: pg.Client;
let log: typeof import("@/lib/services/audit-log");
let query: typeof import("@/lib/domain/audit-query");
let heavy: { id: string; email: string };
let light: { id: string; email: string };
let someProduct: string;

beforeAll(async () => {
  backend = await startPortalBackend();
  client = new pg.Client({ connectionString: backend.database.url });
  await client.connect();
  const started = performance.now();
  const steps: string[] = [];
  await seedAuditEvents(client, { events: EVENTS, log: (line) => steps.push(line.trim()) });
  console.log(`seeded ${EVENTS.toLocaleString("en")} audit events in ${((performance.now() - started) / 1000).toFixed(1)} s (${steps.join("; ")})`);
  log = await import("@/lib/services/audit-log");
  query = await import("@/lib/domain/audit-query");
  const people = await client.query<{ id: string; email: string; n: string }>(
    "SELECT actor_id::text AS id, actor_email AS email, count(*) AS n FROM audit_events WHERE actor_id IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC",
  );
  heavy = people.rows[0]!;
  light = people.rows.at(-1)!;
  someProduct = (await client.query<{ t: string }>("SELECT target_id AS t FROM audit_events WHERE target_type = 'provisioned-product' LIMIT 1")).rows[0]!.t;
}, 600_000);

afterAll(async () => {
  await client?.end();
  await backend?.close();
});

type PlanNode = { "Node Type": string; "Index Name"?: string; "Shared Hit Blocks": number; "Shared Read Blocks": number; Plans?: PlanNode[] };
type Explained = { plan: PlanNode; ms: number; buffers: number; nodes: string[] };

async function explain(sql: Prisma.Sql): Promise<Explained> {
  const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`, sql.values);
  const [{ Plan: plan, "Execution Time": ms }] = rows[0]!["QUERY PLAN"];
  const nodes: string[] = [];
  const walk = (n: PlanNode) => {
    nodes.push(n["Index Name"] ? `${n["Node Type"]} on ${n["Index Name"]}` : n["Node Type"]);
    n.Plans?.forEach(walk);
  };
  walk(plan);
  return { plan, ms, buffers: plan["Shared Hit Blocks"] + plan["Shared Read Blocks"], nodes };
}

/** The actions a filter stands for, as the service resolves them. */
async function actionsOf(filter: AuditFilter): Promise<string[] | null> {
  if (!filter.action) return null;
  const match = query.actionMatch(filter.action);
  if ("exact" in match) return [match.exact];
  const { rows } = await client.query<{ action: string }>("SELECT DISTINCT action FROM audit_events");
  return rows.map((r) => r.action).filter((a) => a.startsWith(match.prefix));
}

/** The key of the event at `offset` in the filtered log (newest first), found the slow way. */
async function keyAt(filter: AuditFilter, actions: string[] | null, offset: number): Promise<{ createdAt: string; id: string }> {
  const sql = log.auditPageSql(filter, actions, null, offset + 1);
  const { rows } = await client.query<{ created_at: string; id: string }>(`SELECT created_at, id FROM (${sql.text}) p ORDER BY created_at ASC, id ASC LIMIT 1`, sql.values);
  return { createdAt: rows[0]!.created_at, id: rows[0]!.id };
}

async function countOf(filter: AuditFilter, actions: string[] | null): Promise<number> {
  const sql = log.auditPageSql(filter, actions, null, EVENTS + 1);
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql.text}) p`, sql.values);
  return Number(rows[0]!.n);
}

describe(`the audit log at ${EVENTS.toLocaleString("en")} events`, () => {
  it("every filter combination is planned on an index, and page 500 costs what page 1 costs", async () => {
    const month = { from: "2025-06-01T00:00:00Z", to: "2025-07-01T00:00:00Z" };
    const combos: [string, Record<string, string>][] = [
      ["no filter", {}],
      ["heavy actor (email)", { actor: heavy.email }],
      ["heavy actor (id)", { actor: heavy.id }],
      ["light actor", { actor: light.email }],
      ["unknown actor", { actor: "nobody@example.org" }],
      ["common action", { action: "product.launch" }],
      ["rare action", { action: "admin.user.deactivate" }],
      ["action prefix product.*", { action: "product.*" }],
      ["action prefix audit.*", { action: "audit.*" }],
      ["outcome DENIED", { outcome: "DENIED" }],
      ["outcome FAILURE", { outcome: "FAILURE" }],
      ["target type", { targetType: "user" }],
      ["rare target type", { targetType: "route" }],
      ["one target", { targetType: "provisioned-product", targetId: someProduct }],
      ["a month", month],
      ["heavy actor + DENIED", { actor: heavy.email, outcome: "DENIED" }],
      ["heavy actor + prefix", { actor: heavy.id, action: "product.*" }],
      ["light actor + common action", { actor: light.email, action: "product.launch" }],
      ["common action + FAILURE", { action: "product.update", outcome: "FAILURE" }],
      ["rare action + DENIED", { action: "admin.user.deactivate", outcome: "DENIED" }],
      ["prefix + DENIED + a month", { action: "product.*", outcome: "DENIED", ...month }],
      ["heavy actor + a month", { actor: heavy.email, ...month }],
      ["target type + outcome", { targetType: "provisioned-product", outcome: "FAILURE" }],
      ["target type + action + a month", { targetType: "user", action: "auth.login", ...month }],
      ["everything", { actor: heavy.email, action: "product.*", targetType: "provisioned-product", outcome: "SUCCESS", from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }],
    ];
    const report: string[] = [];
    const failures: string[] = [];
    for (const [name, input] of combos) {
      const filter = query.auditFilterSchema.parse(input);
      const actions = await actionsOf(filter);
      const matching = await countOf(filter, actions);
      const first = await explain(log.auditPageSql(filter, actions, null, PAGE + 1));
      // Page 500 when there is one; otherwise the deepest page of a smaller set.
      const offset = Math.min(DEEP_PAGE * PAGE - 1, Math.max(0, matching - PAGE - 1));
      const key = matching > PAGE ? await keyAt(filter, actions, offset) : null;
      const deep = key ? await explain(log.auditPageSql(filter, actions, { key, direction: "older" }, PAGE + 1)) : first;
      const pageNo = key ? Math.floor(offset / PAGE) + 2 : 1;
      report.push(
        `${name.padEnd(32)} ${String(matching).padStart(8)} rows | page 1: ${first.ms.toFixed(2).padStart(7)} ms ${String(first.buffers).padStart(5)} buf | page ${String(pageNo).padStart(3)}: ${deep.ms.toFixed(2).padStart(7)} ms ${String(deep.buffers).padStart(5)} buf | ${[...new Set(deep.nodes)].join(", ")}`,
      );
      for (const [which, e] of [["page 1", first], [`page ${pageNo}`, deep]] as const) {
        if (e.nodes.some((n) => n.includes("Seq Scan"))) failures.push(`${name}, ${which}: sequential scan (${e.nodes.join(" > ")})`);
        if (e.buffers > 2_000) failures.push(`${name}, ${which}: ${e.buffers} buffers read for one page (${e.nodes.join(" > ")})`);
      }
      if (deep.buffers > first.buffers * 3 + 50) failures.push(`${name}: page ${pageNo} read ${deep.buffers} buffers, page 1 ${first.buffers}`);
    }
    console.log(`one page of ${PAGE} (EXPLAIN ANALYZE):\n${report.join("\n")}`);
    expect(failures).toEqual([]);
  }, 300_000);

  it("the filter form's lists of actions and target types come from index probes, not a scan", async () => {
    for (const column of ["action", "target_type"] as const) {
      const e = await explain(log.distinctValuesSql(column));
      expect(e.nodes.filter((n) => n.includes("Seq Scan")), e.nodes.join(" > ")).toEqual([]);
      expect(e.buffers).toBeLessThan(500);
    }
    await log.listAuditFacets(); // the first query of the file also opens the client's connections
    const started = performance.now();
    const facets = await log.listAuditFacets();
    const ms = performance.now() - started;
    console.log(`listAuditFacets: ${facets.actions.length} actions, ${facets.targetTypes.length} target types in ${ms.toFixed(1)} ms`);
    expect(facets.actions).toContain("admin.user.deactivate");
    expect(facets.actions).toHaveLength(11);
    expect(facets.targetTypes).toEqual(["provisioned-product", "route", "user"]);
  });

  it("the service answers page 500 as fast as page 1", async () => {
    const timings: string[] = [];
    for (const input of [{}, { action: "product.*" }, { outcome: "DENIED" }, { actor: heavy.email, action: "product.*" }]) {
      const filter = query.auditFilterSchema.parse(input);
      let cursor: string | null = null;
      const times: number[] = [];
      // Follow the Older links to page 500, as a person would (timing pages 1 and 500).
      for (let pageNo = 1; pageNo <= DEEP_PAGE; pageNo++) {
        const started = performance.now();
        const result: Awaited<ReturnType<typeof log.listAuditEvents>> = await log.listAuditEvents({ ...filter, limit: PAGE, ...(cursor ? { cursor: query.decodeAuditCursor(cursor)! } : {}) });
        times.push(performance.now() - started);
        if (!result.older) break;
        cursor = result.older;
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const firstTen = median(times.slice(0, 10));
      const lastTen = median(times.slice(-10));
      timings.push(`${JSON.stringify(input).padEnd(60)} pages 1-10: ${firstTen.toFixed(1)} ms, pages ${times.length - 9}-${times.length}: ${lastTen.toFixed(1)} ms (median)`);
      expect(times.length).toBe(DEEP_PAGE);
      expect(lastTen).toBeLessThan(firstTen * 4 + 25);
    }
    console.log(`listAuditEvents, following Older links:\n${timings.join("\n")}`);
  }, 300_000);

  it("exports all 1,000,000 events as CSV with bounded memory", async () => {
    const filter = query.auditFilterSchema.parse({});
    const reader = log.auditCsvStream(filter).getReader();
    // What the export keeps alive is the heap after a full collection; sampled every 50 batches.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRetained = baseline.heapUsed;
    let peakRss = baseline.rss;
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    const started = performance.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
      if (++chunks % 50 === 0) {
        gc();
        peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(
      `export: ${(lines - 1).toLocaleString("en")} rows, ${mb(bytes)} MB of CSV in ${seconds.toFixed(1)} s (${Math.round((lines - 1) / seconds).toLocaleString("en")} rows/s); ` +
        `heap ${mb(baseline.heapUsed)} MB -> peak ${mb(peakHeap)} MB (after collection at most ${mb(peakRetained)} MB), rss ${mb(baseline.rss)} -> peak ${mb(peakRss)} MB`,
    );
    expect(lines).toBe(EVENTS + 1);
    // The CSV (about 190 MB) was never held: what stays alive is a batch or two.
    expect(bytes).toBeGreaterThan(150 * 1024 * 1024);
    expect(peakRetained - baseline.heapUsed).toBeLessThan(32 * 1024 * 1024);
    expect(peakHeap - baseline.heapUsed).toBeLessThan(bytes / 2);
    expect(seconds).toBeLessThan(240);
  }, 300_000);

  it("a filtered export is exactly the filtered events, newest first", async () => {
    const filter = query.auditFilterSchema.parse({ actor: heavy.email, action: "product.*", outcome: "SUCCESS" });
    const text = await new Response(log.auditCsvStream(filter)).text();
    const ids = text
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[1]);
    const { rows } = await client.query<{ id: string }>(
      "SELECT id::text AS id FROM audit_events WHERE actor_email = $1 AND action LIKE 'product.%' AND outcome = 'SUCCESS' ORDER BY created_at DESC, id DESC",
      [heavy.email],
    );
    expect(rows.length).toBeGreaterThan(2 * log.EXPORT_BATCH_ROWS);
    expect(ids).toEqual(rows.map((r) => r.id));
  }, 120_000);
});
