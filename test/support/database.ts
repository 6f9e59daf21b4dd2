/**
 * A fresh database per test file (or per test), on the run's PostgreSQL server: the one named by
 * DATABASE_URL, or the embedded server `vitest.global-setup.ts` started. Names carry the run id so
 * the global teardown can drop whatever a crashed test left behind.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin connection URL of the run's PostgreSQL server (its maintenance database). */
    testDatabaseServerUrl: string;
    /** Prefix of every database created during this run. */
    testDatabasePrefix: string;
  }
}

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

/** `base` with the database name replaced. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withAdminClient<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A new database (migrated unless told otherwise) on the run's server, or on `serverUrl`'s. */
export async function createTestDatabase({ migrate = true, serverUrl = inject("testDatabaseServerUrl") }: { migrate?: boolean; serverUrl?: string } = {}): Promise<TestDatabase> {
  const name = `${inject("testDatabasePrefix")}_${randomBytes(5).toString("hex")}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(serverUrl, name);
  if (migrate) await applyMigrations({ connectionString: url });
  return {
    name,
    url,
    // FORCE: a test that forgot to close its pool must not make the drop fail.
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

/** Drop every database whose name starts with `prefix` (the global teardown's sweep). */
export async function dropTestDatabases(serverUrl: string, prefix: string): Promise<string[]> {
  return withAdminClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return rows.map((r) => r.datname);
  });
}
