/**
 * The migration that adds users.aws_session_name computes, in SQL, the name lib/domain's
 * awsSessionNameFromEmail gives at login. Both must agree for every email, or an existing user's
 * reserved name would differ from the one their next login claims.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { applyMigrations } from "@/lib/db/migrate";
import { readLoginClaims } from "@/lib/domain/claims";
import { awsSessionNameFromEmail } from "@/lib/domain/session-name";

const MIGRATION = "20261124090000_user_aws_session_name";
const projectMigrations = path.join(process.cwd(), "prisma", "migrations");

// As identity providers send them; stored the way a login stores them (readLoginClaims).
const AWKWARD_EMAILS = [
  "alice@example.org",
  "Alice.Smith+Lab@Example.ORG",
  "a=b,c@example.org",
  `${"z".repeat(52)}@example.org`, // 64 characters: kept
  `${"z".repeat(53)}@example.org`, // 65: hashed
  `${"long.name.".repeat(12)}@research-institute.example.org`,
  '"john smith"@example.org',
  "zoe.o'brien+imaging-core@example.org",
  "back\\slash@example.org",
  "per%cent&amp;*$!#?^`{|}~@example.org",
  "jöhn@exämple.org",
  "JÖHN.MÜLLER@EXAMPLE.ORG",
  "e\u0301cole@example.org", // combining accent
  "straße@example.de",
  "İstanbul@example.org", // lower-cases to two code points
  "用户@例子.广告",
  "🦀crab@example.org", // outside the Basic Multilingual Plane
  "😀".repeat(40) + "@example.org",
  "ｆｕｌｌｗｉｄｔｈ@example.org",
  "zero\u200bwidth@example.org",
  "tab\tinside@example.org",
  `${"ü".repeat(80)}@example.org`,
  "x",
];

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  dir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-migrations-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await database?.drop();
});

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe(`migration ${MIGRATION}`, () => {
  it("gives existing users the names the TypeScript rule gives, and the older of two users a shared name", async () => {
    // The database as it was before the migration, with users in it.
    await cp(projectMigrations, dir, { recursive: true, filter: (source) => !source.includes(MIGRATION) });
    await applyMigrations({ connectionString: database.url, migrationsDir: dir });
    const stored = AWKWARD_EMAILS.map((email, i) => ({ subject: `user-${i}`, email: readLoginClaims("http://idp", { sub: `user-${i}`, email }).email }));
    // Someone who took the hashed name of '"john smith"@example.org' as their email, later.
    const taken = awsSessionNameFromEmail('"john smith"@example.org');
    stored.push({ subject: "later", email: taken });
    for (const [i, user] of stored.entries()) {
      await query(`INSERT INTO "users" ("id", "issuer", "subject", "email", "updated_at", "created_at") VALUES (gen_random_uuid(), 'http://idp', $1, $2, now(), now() + make_interval(secs => $3))`, [user.subject, user.email, i]);
    }

    await cp(path.join(projectMigrations, MIGRATION), path.join(dir, MIGRATION), { recursive: true });
    expect((await applyMigrations({ connectionString: database.url, migrationsDir: dir })).applied).toEqual([MIGRATION]);

    const rows = await query<{ subject: string; email: string; aws_session_name: string | null }>(`SELECT "subject", "email", "aws_session_name" FROM "users"`);
    const bySubject = new Map(rows.map((r) => [r.subject, r]));
    for (const [i, email] of AWKWARD_EMAILS.entries()) {
      expect({ email, name: bySubject.get(`user-${i}`)?.aws_session_name }).toEqual({ email, name: awsSessionNameFromEmail(email) });
    }
    expect(bySubject.get("later")?.aws_session_name).toBeNull();
    // The hashed ones really were hashed, so the comparison above covered the SQL's hashing too.
    expect(rows.filter((r) => /-[0-9a-f]{20}$/.test(r.aws_session_name ?? "")).length).toBeGreaterThan(15);
  });

  it("keeps the name unique in the database", async () => {
    await expect(query(`UPDATE "users" SET "aws_session_name" = 'alice@example.org' WHERE "subject" = 'user-2'`)).rejects.toMatchObject({ code: "23505" });
  });
});
