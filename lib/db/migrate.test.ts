import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { applyMigrations, migrationChecksum, MigrationError, planMigrations, readMigrations } from "./migrate";

const projectMigrations = "prisma/migrations";

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A migrations directory of our own, to add, change and break migrations freely. */
async function scratchMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("planMigrations (no database)", () => {
  const local = [
    { name: "1_a", sql: "", checksum: "aa" },
    { name: "2_b", sql: "", checksum: "bb" },
  ];
  const row = (name: string, checksum: string, extra: Partial<{ finished_at: Date | null; rolled_back_at: Date | null; logs: string | null }> = {}) => ({
    migration_name: name,
    checksum,
    finished_at: new Date(),
    rolled_back_at: null,
    logs: null,
    ...extra,
  });

  it("plans what is not recorded yet, in name order", () => {
    expect(planMigrations(local, [row("1_a", "aa")])).toEqual({ pending: [local[1]], alreadyApplied: ["1_a"] });
  });

  it("ignores rows marked rolled back", () => {
    const plan = planMigrations(local, [row("1_a", "old", { finished_at: null, rolled_back_at: new Date() }), row("1_a", "aa")]);
    expect(plan.alreadyApplied).toEqual(["1_a"]);
  });

  it("refuses a recorded migration missing locally, naming it", () => {
    expect(() => planMigrations(local, [row("0_gone", "zz")])).toThrow(/0_gone/);
  });
});

describe("applyMigrations against PostgreSQL", () => {
  const databases: TestDatabase[] = [];
  const dirs: string[] = [];
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase({ migrate: false });
    databases.push(database);
  });
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  it("applies all of the project's migrations to an empty database and records them like Prisma", async () => {
    const local = await readMigrations(projectMigrations);
    expect(local.length).toBeGreaterThan(0);

    const result = await applyMigrations({ connectionString: database.url });
    expect(result).toEqual({ applied: local.map((m) => m.name), alreadyApplied: [] });

    const tables = await query<{ table_name: string }>(database.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["_prisma_migrations", "users", "audit_events"]));

    const rows = await query<{ id: string; checksum: string; migration_name: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      database.url,
      `SELECT id, checksum, migration_name, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
    for (const [i, r] of rows.entries()) {
      const bytes = await readFile(path.join(projectMigrations, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(migrationChecksum(bytes));
      expect(r.checksum).toBe(local[i]!.checksum);
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
      expect(r.rolled_back_at).toBeNull();
    }

    // The tables are usable.
    await query(database.url, `INSERT INTO users (id, issuer, subject, email, updated_at) VALUES (gen_random_uuid(), 'i', 's', 'a@example.org', now())`);
  });

  it("applies only the pending migrations on a later run", async () => {
    const dir = await scratchMigrations({ "20260101000000_one": "CREATE TABLE one (id int);" });
    dirs.push(dir);
    expect(await applyMigrations({ connectionString: database.url, migrationsDir: dir })).toEqual({ applied: ["20260101000000_one"], alreadyApplied: [] });

    await mkdir(path.join(dir, "20260102000000_two"));
    await writeFile(path.join(dir, "20260102000000_two", "migration.sql"), "CREATE TABLE two (id int);");
    expect(await applyMigrations({ connectionString: database.url, migrationsDir: dir })).toEqual({
      applied: ["20260102000000_two"],
      alreadyApplied: ["20260101000000_one"],
    });
    expect(await applyMigrations({ connectionString: database.url, migrationsDir: dir })).toEqual({
      applied: [],
      alreadyApplied: ["20260101000000_one", "20260102000000_two"],
    });
  });

  it("refuses to run when an applied migration's file changed, naming it", async () => {
    const dir = await scratchMigrations({ "20260101000000_one": "CREATE TABLE one (id int);" });
    dirs.push(dir);
    await applyMigrations({ connectionString: database.url, migrationsDir: dir });

    await writeFile(path.join(dir, "20260101000000_one", "migration.sql"), "CREATE TABLE one (id bigint);");
    await mkdir(path.join(dir, "20260102000000_two"));
    await writeFile(path.join(dir, "20260102000000_two", "migration.sql"), "CREATE TABLE two (id int);");

    const run = applyMigrations({ connectionString: database.url, migrationsDir: dir });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(applyMigrations({ connectionString: database.url, migrationsDir: dir })).rejects.toThrow(/"20260101000000_one" was modified/);
    // Nothing after it was applied.
    expect(await query(database.url, "SELECT to_regclass('two') AS t")).toEqual([{ t: null }]);
  });

  it("records a failed migration, rolls its changes back and refuses later runs until resolved", async () => {
    const dir = await scratchMigrations({
      "20260101000000_one": "CREATE TABLE one (id int);",
      "20260102000000_broken": "CREATE TABLE half (id int);\nSELECT no_such_function();",
    });
    dirs.push(dir);

    await expect(applyMigrations({ connectionString: database.url, migrationsDir: dir })).rejects.toThrow(/"20260102000000_broken" failed: .*no_such_function/);
    expect(await query(database.url, "SELECT to_regclass('one') IS NOT NULL AS one, to_regclass('half') IS NOT NULL AS half")).toEqual([{ one: true, half: false }]);
    const [failed] = await query<{ finished_at: Date | null; logs: string | null }>(
      database.url,
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '20260102000000_broken'`,
    );
    expect(failed?.finished_at).toBeNull();
    expect(failed?.logs).toMatch(/no_such_function/);

    // Fixing the file is not enough: the failed attempt must be resolved first (Prisma's P3009).
    await writeFile(path.join(dir, "20260102000000_broken", "migration.sql"), "CREATE TABLE half (id int);");
    await expect(applyMigrations({ connectionString: database.url, migrationsDir: dir })).rejects.toThrow(/"20260102000000_broken" failed in a previous attempt/);

    // `prisma migrate resolve --rolled-back` marks the row; then the fixed migration applies.
    await query(database.url, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '20260102000000_broken'`);
    expect(await applyMigrations({ connectionString: database.url, migrationsDir: dir })).toEqual({
      applied: ["20260102000000_broken"],
      alreadyApplied: ["20260101000000_one"],
    });
  });

  it("refuses when the database has a migration the directory lacks", async () => {
    const dir = await scratchMigrations({ "20260101000000_one": "CREATE TABLE one (id int);" });
    dirs.push(dir);
    await applyMigrations({ connectionString: database.url, migrationsDir: dir });
    await rm(path.join(dir, "20260101000000_one"), { recursive: true });
    await expect(applyMigrations({ connectionString: database.url, migrationsDir: dir })).rejects.toThrow(/not in the migrations directory: 20260101000000_one/);
  });

  it("applies each migration once when several processes start at the same time", async () => {
    // pg_sleep makes the first run hold the lock long enough for the others to queue behind it.
    const dir = await scratchMigrations({
      "20260101000000_slow": "SELECT pg_sleep(0.3); CREATE TABLE slow (id int);",
      "20260102000000_after": "CREATE TABLE after_slow (id int);",
    });
    dirs.push(dir);

    const results = await Promise.all([1, 2, 3].map(() => applyMigrations({ connectionString: database.url, migrationsDir: dir })));
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts).toEqual([0, 0, 2]);
    const rows = await query<{ n: number }>(database.url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(rows[0]?.n).toBe(2);
  });

  it("works with a copy of the project's migrations (checksums do not depend on the path)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-migrations-"));
    dirs.push(dir);
    await cp(projectMigrations, dir, { recursive: true });
    await applyMigrations({ connectionString: database.url });
    const result = await applyMigrations({ connectionString: database.url, migrationsDir: dir });
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied.length).toBeGreaterThan(0);
  });
});
