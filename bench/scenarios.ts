/**
 * What the portal costs in AWS calls, and how it behaves when many people launch at once while
 * AWS throttles: counted by the emulator (its call log and state), timed from outside.
 */
import pg from "pg";
import type { BenchUser } from "./seed";

type CallReport = { total: number; byOperation: Record<string, number> };

export async function awsCalls(emulatorUrl: string): Promise<CallReport> {
  return (await (await fetch(`${emulatorUrl}/_emulator/calls`)).json()) as CallReport;
}

export async function resetCalls(emulatorUrl: string): Promise<void> {
  await fetch(`${emulatorUrl}/_emulator/calls/reset`, { method: "POST" });
}

/** The call log names operations `service:Operation` (servicecatalog:ProvisionProduct, sts:AssumeRole). */
export const operation = (r: CallReport, name: string) => r.byOperation[name] ?? 0;
const serviceCatalogCalls = (r: CallReport) => Object.entries(r.byOperation).filter(([op]) => op.startsWith("servicecatalog:")).reduce((n, [, c]) => n + c, 0);

/** `count` GETs of `url` with a session; the Service Catalog calls and AssumeRoles they caused. */
export async function callsFor(emulatorUrl: string, url: string, cookie: string, count: number): Promise<{ serviceCatalog: number; assumeRole: number; statuses: number[] }> {
  await resetCalls(emulatorUrl);
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  const report = await awsCalls(emulatorUrl);
  return { serviceCatalog: serviceCatalogCalls(report), assumeRole: operation(report, "sts:AssumeRole"), statuses: [...new Set(statuses)] };
}

export type Bucket = { productId: string; versionId: string; pathId: string };

export async function bucketProduct(baseUrl: string, cookie: string): Promise<Bucket> {
  const catalog = (await (await fetch(`${baseUrl}/api/catalog`, { headers: { cookie } })).json()) as { products: { productId: string; name: string }[] };
  const bucket = catalog.products.find((p) => p.name === "S3 Private Encrypted Bucket");
  if (!bucket) throw new Error(`no bucket product in the catalog: ${JSON.stringify(catalog).slice(0, 300)}`);
  const detail = (await (await fetch(`${baseUrl}/api/catalog/${bucket.productId}`, { headers: { cookie } })).json()) as { defaultVersionId: string; launchPaths: { id: string }[] };
  return { productId: bucket.productId, versionId: detail.defaultVersionId, pathId: detail.launchPaths[0]!.id };
}

export async function launch(baseUrl: string, cookie: string, bucket: Bucket, name: string): Promise<{ status: number; id?: string; body: string }> {
  const response = await fetch(`${baseUrl}/api/products`, {
    method: "POST",
    headers: { cookie, origin: baseUrl, "content-type": "application/json" },
    body: JSON.stringify({ name, productId: bucket.productId, provisioningArtifactId: bucket.versionId, pathId: bucket.pathId, parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" }, tags: [], tagOptions: { ManagedBy: "Quartermaster" } }),
  });
  const body = await response.text();
  return { status: response.status, body, ...(response.ok ? { id: (JSON.parse(body) as { id: string }).id } : {}) };
}

export type SettleResult = { wallSeconds: number; available: number; failed: number; stillWorking: number };

/** Waits until every product settles (or `timeoutMs`), reading the portal's database. */
export async function waitSettled(databaseUrl: string, ids: string[], startedAt: number, timeoutMs: number): Promise<SettleResult> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await c.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM provisioned_products WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids]);
      const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
      const working = of("PENDING") + of("UNDER_CHANGE");
      if (working === 0 || Date.now() > deadline) {
        return { wallSeconds: (Date.now() - startedAt) / 1000, available: of("AVAILABLE"), failed: of("ERROR") + of("TAINTED"), stillWorking: working };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await c.end();
  }
}

/** Seconds from AWS finishing each launch (its record's completion time) to the portal's row saying so. */
export async function statusLatencies(databaseUrl: string, ids: string[]): Promise<number[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ seconds: number }>(
      `SELECT extract(epoch FROM (p.updated_at - r.completed_at))::float8 AS seconds
       FROM provisioned_products p JOIN provisioning_records r ON r.provisioned_product_id = p.id AND r.record_type = 'PROVISION_PRODUCT'
       WHERE p.id = ANY($1::uuid[]) AND r.completed_at IS NOT NULL AND p.status = 'AVAILABLE'`,
      [ids],
    );
    return rows.map((r) => r.seconds).sort((a, b) => a - b);
  } finally {
    await c.end();
  }
}

export async function emulatorDuplicates(emulatorUrl: string, names: string[]): Promise<{ inAws: number; duplicates: number }> {
  const state = (await (await fetch(`${emulatorUrl}/_emulator/state`)).json()) as { provisionedProducts: { Name?: string }[] };
  const wanted = new Set(names);
  const counts = new Map<string, number>();
  for (const p of state.provisionedProducts) if (p.Name && wanted.has(p.Name)) counts.set(p.Name, (counts.get(p.Name) ?? 0) + 1);
  return { inAws: counts.size, duplicates: [...counts.values()].reduce((n, c) => n + (c - 1), 0) };
}

export async function setFaults(emulatorUrl: string, body: Record<string, unknown> | null): Promise<void> {
  await fetch(`${emulatorUrl}/_emulator/faults`, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : { method: "DELETE" });
}

export type LaunchStorm = { launches: number; people: number; accepted: number; refused: string[]; settle: SettleResult; awsCallsPerLaunch: number; provisionCalls: number; inAws: number; duplicates: number; ids: string[] };

/** `perPerson` launches by each of `people` at once, with a share of Service Catalog calls throttled. */
export async function launchStorm(baseUrl: string, emulatorUrl: string, databaseUrl: string, people: { user: BenchUser; cookie: string }[], bucket: Bucket, perPerson: number, throttlingRate: number): Promise<LaunchStorm> {
  await resetCalls(emulatorUrl);
  await setFaults(emulatorUrl, { throttlingRate, operations: ["ProvisionProduct", "DescribeRecord", "SearchProvisionedProducts", "DescribeProvisionedProduct"] });
  const started = Date.now();
  const names: string[] = [];
  const results = await Promise.all(
    people.flatMap((p, i) =>
      Array.from({ length: perPerson }, (_, k) => {
        const name = `storm-${i}-${k}-${started.toString(36)}`;
        names.push(name);
        return launch(baseUrl, p.cookie, bucket, name);
      }),
    ),
  );
  const ids = results.flatMap((r) => (r.id ? [r.id] : []));
  const settle = await waitSettled(databaseUrl, ids, started, 240_000);
  await setFaults(emulatorUrl, null);
  const report = (await (await fetch(`${emulatorUrl}/_emulator/calls`)).json()) as CallReport & { calls?: { operation: string; count: number }[] };
  const { inAws, duplicates } = await emulatorDuplicates(emulatorUrl, names);
  return {
    launches: results.length,
    people: people.length,
    accepted: ids.length,
    refused: results.filter((r) => !r.id).map((r) => `${r.status} ${r.body.slice(0, 120)}`),
    settle,
    awsCallsPerLaunch: serviceCatalogCalls(report) / Math.max(1, ids.length),
    provisionCalls: operation(report, "servicecatalog:ProvisionProduct"),
    inAws,
    duplicates,
    ids,
  };
}

export type TrackingBreakdown = { records: number; looksPerRecord: number; awsSeconds: number; dueAfterAwsSeconds: number; queueWaitSeconds: number; lookSeconds: number; queueWaitP90Seconds: number };

/**
 * Where the status latency goes, medians over the launches: AWS's own time (record sent to record
 * done), how long after AWS finished the look that saw it was due (the schedule), how long that
 * look then waited for a worker (the queue), and how long the look took; and looks per record.
 * From the records and pg-boss's own job rows.
 */
export async function trackingBreakdown(databaseUrl: string, ids: string[]): Promise<TrackingBreakdown> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<TrackingBreakdown>(
      `WITH jobs AS (
         SELECT data->>'recordRowId' AS record_row_id, start_after, started_on, completed_on FROM pgboss.job WHERE name = 'track-record' AND state = 'completed'
         UNION ALL
         SELECT data->>'recordRowId', start_after, started_on, completed_on FROM pgboss.archive WHERE name = 'track-record' AND state = 'completed'
       ), records AS (
         SELECT r.id::text AS id, r.created_at, r.completed_at FROM provisioning_records r
         WHERE r.provisioned_product_id = ANY($1::uuid[]) AND r.record_type = 'PROVISION_PRODUCT' AND r.completed_at IS NOT NULL
       ), seen AS (
         SELECT DISTINCT ON (r.id) r.id, r.created_at, r.completed_at, j.start_after, j.started_on, j.completed_on
         FROM records r JOIN jobs j ON j.record_row_id = r.id AND j.completed_on >= r.completed_at
         ORDER BY r.id, j.completed_on
       )
       SELECT (SELECT count(*) FROM records)::int AS records,
              round((SELECT count(*) FROM jobs WHERE record_row_id IN (SELECT id FROM records))::numeric / greatest(1, (SELECT count(*) FROM records)), 2)::float8 AS "looksPerRecord",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at))::float8 AS "awsSeconds",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM greatest(start_after, completed_at) - completed_at))::float8 AS "dueAfterAwsSeconds",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_on - greatest(start_after, completed_at)))::float8 AS "queueWaitSeconds",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM started_on - greatest(start_after, completed_at)))::float8 AS "queueWaitP90Seconds",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_on - started_on))::float8 AS "lookSeconds"
       FROM seen`,
      [ids],
    );
    const row = rows[0]!;
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return { records: row.records, looksPerRecord: row.looksPerRecord, awsSeconds: r2(row.awsSeconds), dueAfterAwsSeconds: r2(row.dueAfterAwsSeconds), queueWaitSeconds: r2(row.queueWaitSeconds), queueWaitP90Seconds: r2(row.queueWaitP90Seconds), lookSeconds: r2(row.lookSeconds) };
  } finally {
    await c.end();
  }
}
