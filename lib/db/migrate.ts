/**
 * The project's migration runner. Applies the SQL migrations under `prisma/migrations/` with `pg`
 * and records them in Prisma's own `_prisma_migrations` table, row for row as `prisma migrate
 * deploy` would, so either tool can take over from the other.
 *
 * Safe to call from several processes at once: everything happens under the session-level
 * advisory lock Prisma itself takes (key 72707369), so a migration is applied exactly once.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/** The key of Prisma Migrate's advisory lock, so we also exclude a concurrent `prisma migrate`. */
export const MIGRATION_LOCK_KEY = 72707369;

// Prisma's DDL for PostgreSQL, column for column.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationOptions = {
  connectionString: string;
  migrationsDir?: string;
  log?: (message: string) => void;
};

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

export type LocalMigration = { name: string; sql: string; checksum: string };

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
};

/** Thrown when the database and the migrations directory disagree; nothing is applied then. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

/** sha256 of the file's bytes, hex-encoded: the checksum Prisma stores. */
export function migrationChecksum(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** The migrations in Prisma's layout (`<name>/migration.sql`), in name order. */
export async function readMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(migrationsDir, name, "migration.sql"));
    } catch {
      continue; // Prisma ignores folders without a migration.sql too.
    }
    migrations.push({ name, sql: bytes.toString("utf8"), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

/**
 * Check the recorded history against the local files. Rows marked rolled back (by
 * `prisma migrate resolve --rolled-back`) are ignored, as Prisma does.
 */
export function planMigrations(local: LocalMigration[], rows: MigrationRow[]): { pending: LocalMigration[]; alreadyApplied: string[] } {
  const live = rows.filter((r) => r.rolled_back_at === null);

  const failed = live.find((r) => r.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `Migration "${failed.migration_name}" failed in a previous attempt and was not rolled back, so no further migrations will be applied.` +
        (failed.logs ? `\nIts error was: ${failed.logs.trim()}` : "") +
        `\nRepair the database by hand, then mark it with \`npx prisma migrate resolve --rolled-back ${failed.migration_name}\` (or --applied).`,
    );
  }

  const byName = new Map(local.map((m) => [m.name, m]));
  const missing = live.filter((r) => !byName.has(r.migration_name)).map((r) => r.migration_name);
  if (missing.length > 0) {
    throw new MigrationError(
      `The database has migration(s) that are not in the migrations directory: ${[...new Set(missing)].join(", ")}. ` +
        "Is this checkout older than the database?",
    );
  }

  const applied = new Set<string>();
  for (const row of live) {
    const file = byName.get(row.migration_name)!;
    if (row.checksum !== file.checksum) {
      throw new MigrationError(
        `Migration "${row.migration_name}" was modified after it was applied (checksum ${file.checksum} on disk, ${row.checksum} in the database). ` +
          "Applied migrations must not change; put the change in a new migration.",
      );
    }
    applied.add(row.migration_name);
  }

  return {
    pending: local.filter((m) => !applied.has(m.name)),
    alreadyApplied: local.filter((m) => applied.has(m.name)).map((m) => m.name),
  };
}

/** Apply every pending migration, each in its own transaction, under Prisma's advisory lock. */
export async function applyMigrations({
  connectionString,
  migrationsDir = "prisma/migrations",
  log = () => {},
}: MigrationOptions): Promise<MigrationResult> {
  const local = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Session-level: held across the transactions below, released by the unlock or disconnect.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<MigrationRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at`,
      );
      const { pending, alreadyApplied } = planMigrations(local, rows);

      const applied: string[] = [];
      for (const migration of pending) {
        log(`applying migration ${migration.name}`);
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      if (pending.length === 0) log(`database is up to date (${alreadyApplied.length} migration(s) applied)`);
      return { applied, alreadyApplied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  // Like Prisma: the row is written before the script runs, so a failure stays on record and
  // blocks later runs until someone resolves it.
  const id = randomUUID();
  await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [
    id,
    migration.checksum,
    migration.name,
  ]);
  try {
    await client.query("BEGIN");
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]).catch(() => {});
    throw new MigrationError(`Migration "${migration.name}" failed: ${message}`);
  }
}

/**
 * Read-only: can the database be reached, and which local migrations has it not applied yet?
 * (`npm run doctor`; applies nothing, takes no lock.) Throws what pg or planMigrations throws.
 */
export async function migrationStatus({ connectionString, migrationsDir = "prisma/migrations", timeoutMs = 5000 }: { connectionString: string; migrationsDir?: string; timeoutMs?: number }): Promise<{ pending: string[]; applied: number }> {
  const local = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    const exists = await client.query<{ found: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS found`);
    if (!exists.rows[0]?.found) return { pending: local.map((m) => m.name), applied: 0 };
    const { rows } = await client.query<MigrationRow>(`SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at`);
    const { pending, alreadyApplied } = planMigrations(local, rows);
    return { pending: pending.map((m) => m.name), applied: alreadyApplied.length };
  } finally {
    await client.end().catch(() => {});
  }
}
