/**
 * The data the bench runs against, made in PostgreSQL with generate_series (deterministic: row
 * numbers, not random()): 1,000 people, 20,000 provisioned products among them (one person with
 * 50, one with 2,000, the rest spread over the others; one in ten terminated), 50 people who launch
 * in the concurrency scenario, an administrator, and 1,000,000 audit events.
 *
 * The products are rows only: the emulator does not hold them (reconciliation, which would mark
 * them terminated, is set to run after the bench has ended). Every figure measured on them is a
 * read from the database, and the bench checks that those reads make no AWS call at all.
 */
import pg from "pg";
import { encode } from "next-auth/jwt";
import { seedAuditEvents } from "../test/support/audit-seed";

export const PEOPLE = 1000;
export const PRODUCTS = 20_000;
export const LAUNCHERS = 50;

export type BenchUser = { id: string; email: string; name: string; role: "USER" | "ADMIN" };
export type Seeded = { few: BenchUser; many: BenchUser; admin: BenchUser; launchers: BenchUser[]; productOfFew: string; productIds: string[] };

export async function seed(databaseUrl: string, log: (line: string) => void): Promise<Seeded> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const started = performance.now();
    await c.query(`
      INSERT INTO users (id, issuer, subject, email, name, department, project, role, aws_session_name, updated_at, last_login_at)
      SELECT gen_random_uuid(), 'http://bench', 'bench-' || i, 'user' || lpad(i::text, 4, '0') || '@example.org', 'User ' || i,
             'Dept ' || (i % 20), 'Project ' || (i % 50), CASE WHEN i = 0 THEN 'ADMIN' ELSE 'USER' END::"Role",
             'user' || lpad(i::text, 4, '0') || '@example.org', now(), now()
      FROM generate_series(0, ${PEOPLE - 1}) AS i`);
    await c.query(`
      INSERT INTO users (id, issuer, subject, email, name, department, project, role, aws_session_name, updated_at, last_login_at)
      SELECT gen_random_uuid(), 'http://bench', 'launcher-' || i, 'launcher' || lpad(i::text, 2, '0') || '@example.org', 'Launcher ' || i,
             'Dept ' || (i % 20), 'Project ' || (i % 50), 'USER', 'launcher' || lpad(i::text, 2, '0') || '@example.org', now(), now()
      FROM generate_series(0, ${LAUNCHERS - 1}) AS i`);
    // user0001 owns 50, user0002 owns 2,000, the remaining 17,950 go round users 3..999.
    await c.query(`
      INSERT INTO provisioned_products (id, owner_id, name, aws_provisioned_product_id, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, parameters, tags, outputs, created_at, updated_at)
      SELECT gen_random_uuid(), u.id, 'ws-' || lpad(j::text, 5, '0'), 'pp-bench' || lpad(j::text, 9, '0'),
             (ARRAY['prod-aaaaaaaaaaaaa','prod-bbbbbbbbbbbbb','prod-ccccccccccccc'])[j % 3 + 1], (ARRAY['EC2 Linux Instance','S3 Private Encrypted Bucket','S3 Synapse Bucket'])[j % 3 + 1],
             'pa-aaaaaaaaaaaaa', 'v1.2.0',
             (CASE WHEN j % 10 = 0 THEN 'TERMINATED' WHEN j % 97 = 0 THEN 'ERROR' ELSE 'AVAILABLE' END)::"ProductStatus",
             'bench-' || j,
             '{"EC2InstanceType":"t3a.small","VolumeSize":"30","S3UserARNs":["arn:aws:iam::123456789012:role/Analyst"]}'::jsonb,
             '[{"key":"OwnerEmail","value":"someone@example.org"},{"key":"Department","value":"Dept"},{"key":"Project","value":"Project"},{"key":"Purpose","value":"bench"}]'::jsonb,
             '[{"key":"BucketName","value":"bench-bucket","description":"The bucket"},{"key":"InstanceId","value":"i-0123456789abcdef0","description":"The instance"}]'::jsonb,
             timestamp '2026-01-01' + (j || ' minutes')::interval, timestamp '2026-06-01' - (j || ' seconds')::interval
      FROM generate_series(0, ${PRODUCTS - 1}) AS j
      JOIN users u ON u.subject = 'bench-' || (CASE WHEN j < 50 THEN 1 WHEN j < 2050 THEN 2 ELSE 3 + (j - 2050) % ${PEOPLE - 3} END)`);
    log(`seeded ${PEOPLE + LAUNCHERS} people and ${PRODUCTS.toLocaleString("en")} products in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await seedAuditEvents(c, { events: 1_000_000, people: 1000, log });
    await c.query("VACUUM ANALYZE");
    const user = async (subject: string): Promise<BenchUser> => (await c.query<BenchUser>(`SELECT id, email, name, role FROM users WHERE subject = $1`, [subject])).rows[0]!;
    const few = await user("bench-1");
    const launchers = (await c.query<BenchUser>(`SELECT id, email, name, role FROM users WHERE subject LIKE 'launcher-%' ORDER BY subject`)).rows;
    const productOfFew = (await c.query<{ id: string }>(`SELECT id FROM provisioned_products WHERE owner_id = $1 AND status = 'AVAILABLE' ORDER BY created_at DESC LIMIT 1`, [few.id])).rows[0]!.id;
    const productIds = (await c.query<{ id: string }>(`SELECT id FROM provisioned_products WHERE status = 'AVAILABLE' ORDER BY id LIMIT 200`)).rows.map((r) => r.id);
    return { few, many: await user("bench-2"), admin: await user("bench-0"), launchers, productOfFew, productIds };
  } finally {
    await c.end();
  }
}

/** A session cookie exactly as next-auth writes it at sign-in (lib/auth/options.ts's jwt callback: id, role, email, name). */
export async function sessionCookie(user: BenchUser, secret: string): Promise<string> {
  const token = await encode({ token: { sub: user.id, userId: user.id, role: user.role, email: user.email, name: user.name }, secret, maxAge: 8 * 60 * 60 });
  return `next-auth.session-token=${token}`;
}
