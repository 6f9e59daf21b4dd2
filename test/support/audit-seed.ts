/**
 * A large, realistic audit log for the scale tests, made in PostgreSQL with generate_series:
 * `people` users (a few heavy ones, a long tail: the person is a cubed hash of the row number), a
 * mix of actions (logins, launches and changes, refused reads, admin exports, reconciliation by
 * the system, rare admin actions), outcomes (mostly SUCCESS; refused reads always DENIED) and
 * targets, one event a minute over about two years, every hundredth sharing its timestamp with
 * the one before. Reproducible: hashes of the row number, not random().
 *
 * For speed the table is made UNLOGGED (a test database; nothing else changes for the queries),
 * and the events go in with its indexes and keys set aside; they are then rebuilt from their own
 * definitions, so the indexes queried are exactly the migrations'.
 *
 * Run alone to keep a seeded database for experiments:
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<db> npx tsx test/support/audit-seed.ts [events]
 */
import pg from "pg";

export async function seedAuditEvents(c: pg.Client, { events, people = 2_000, log = () => {} }: { events: number; people?: number; log?: (line: string) => void }): Promise<void> {
  const step = async (what: string, sql: string) => {
    const started = performance.now();
    await c.query(sql);
    log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await c.query("SET maintenance_work_mem = '256MB'");
  await step(
    "people",
    `INSERT INTO users (id, issuer, subject, email, updated_at)
     SELECT gen_random_uuid(), 'https://idp.example', 'seed-' || n, 'person' || n || '@example.org', now() FROM generate_series(0, ${people - 1}) n`,
  );
  await c.query(`CREATE TEMP TABLE seed_people AS SELECT (regexp_match(email, '^person(\\d+)@'))[1]::int AS n, id, email FROM users WHERE email LIKE 'person%'`);
  await c.query("CREATE UNIQUE INDEX ON seed_people (n)");
  const { rows: indexes } = await c.query<{ name: string; def: string }>(
    "SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'audit_events' AND indexname <> 'audit_events_pkey'",
  );
  const { rows: keys } = await c.query<{ name: string; def: string; type: string }>(
    "SELECT conname AS name, pg_get_constraintdef(oid) AS def, contype AS type FROM pg_constraint WHERE conrelid = 'audit_events'::regclass AND contype IN ('p', 'f')",
  );
  for (const k of keys.filter((k) => k.type === "f")) await c.query(`ALTER TABLE audit_events DROP CONSTRAINT "${k.name}"`);
  for (const k of keys.filter((k) => k.type === "p")) await c.query(`ALTER TABLE audit_events DROP CONSTRAINT "${k.name}"`);
  for (const i of indexes) await c.query(`DROP INDEX "${i.name}"`);
  await c.query("ALTER TABLE audit_events SET UNLOGGED");
  await step(
    `${events.toLocaleString("en")} events`,
    `INSERT INTO audit_events (id, actor_id, actor_email, action, target_type, target_id, outcome, request_id, details, created_at)
     SELECT gen_random_uuid(),
            CASE WHEN e.action = 'reconcile.terminated-outside' THEN NULL ELSE p.id END,
            CASE WHEN e.action = 'reconcile.terminated-outside' THEN NULL ELSE p.email END,
            e.action,
            CASE WHEN e.action = 'auth.login' OR e.action LIKE 'admin.%' THEN 'user' WHEN e.action LIKE 'audit.%' THEN 'route' ELSE 'provisioned-product' END,
            CASE WHEN e.action = 'auth.login' OR e.action LIKE 'admin.%' THEN p.id::text WHEN e.action LIKE 'audit.%' THEN 'GET /api/admin/audit'
                 ELSE 'product-' || (abs(hashint8(g)) % 100000) END,
            (CASE WHEN e.action IN ('product.read', 'audit.read') THEN 'DENIED'
                  WHEN abs(hashint4(g # 1431655765)) % 100 < 90 THEN 'SUCCESS' WHEN abs(hashint4(g # 1431655765)) % 100 < 96 THEN 'FAILURE' ELSE 'DENIED' END)::"AuditOutcome",
            CASE WHEN g % 10 = 0 THEN NULL ELSE 'req-' || g END,
            CASE WHEN e.action = 'product.launch' THEN jsonb_build_object('name', 'project-' || (g % 977), 'version', 'v1.0.0') ELSE '{}'::jsonb END,
            timestamp '2024-11-25 00:00:00' + (g - CASE WHEN g % 100 = 1 THEN 1 ELSE 0 END) * interval '1 minute' + (g % 1000) * interval '1 millisecond'
     FROM generate_series(1, ${events}) g
     CROSS JOIN LATERAL (SELECT abs(hashint4(-g)) % 1000 AS h, floor(power((abs(hashint4(g)) % 100000) / 100000.0, 3) * ${people})::int AS who) r
     CROSS JOIN LATERAL (SELECT CASE
         WHEN r.h < 250 THEN 'auth.login' WHEN r.h < 450 THEN 'product.launch' WHEN r.h < 600 THEN 'product.update'
         WHEN r.h < 700 THEN 'product.terminate' WHEN r.h < 800 THEN 'product.preview' WHEN r.h < 880 THEN 'product.read'
         WHEN r.h < 920 THEN 'audit.read' WHEN r.h < 960 THEN 'audit.export' WHEN r.h < 990 THEN 'reconcile.terminated-outside'
         WHEN r.h < 999 THEN 'product.transfer' ELSE 'admin.user.deactivate' END AS action) e
     JOIN seed_people p ON p.n = r.who`,
  );
  for (const k of keys.filter((k) => k.type === "p")) await step(k.name, `ALTER TABLE audit_events ADD CONSTRAINT "${k.name}" ${k.def}`);
  for (const i of indexes) await step(i.name, i.def);
  for (const k of keys.filter((k) => k.type === "f")) await step(k.name, `ALTER TABLE audit_events ADD CONSTRAINT "${k.name}" ${k.def}`);
  await step("vacuum analyze", "VACUUM ANALYZE audit_events");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("Set DATABASE_URL to a migrated, empty database.");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  await seedAuditEvents(client, { events: Number(process.argv[2] ?? 1_000_000), log: console.log });
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await client.end();
}
