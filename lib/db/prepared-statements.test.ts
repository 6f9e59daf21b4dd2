/**
 * The portal's Prisma client prepares each parameterised statement once per connection, under a
 * name that only that statement's text can have, and keeps statements without parameters as
 * simple queries (several commands in one string still work); and it has a connection for each of
 * the requests one process serves at once (DATABASE_POOL_SIZE, 20 by default).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";

let backend: PortalBackend;
let db: typeof import("@/lib/db").db;
let statementName: typeof import("@/lib/db").statementName;

beforeAll(async () => {
  backend = await startPortalBackend();
  ({ db, statementName } = await import("@/lib/db"));
});

afterAll(async () => {
  await backend?.close();
});

it("names a statement by its text alone", () => {
  const a = statementName({ sql: "SELECT $1::int", args: [1] });
  expect(statementName({ sql: "SELECT $1::int", args: [2] })).toBe(a);
  expect(statementName({ sql: "SELECT $1::text", args: [1] })).not.toBe(a);
  expect(statementName({ sql: "SELECT 1", args: [] })).toBe("");
});

it("prepares a parameterised query once on its connection and runs it again by name", async () => {
  const seen = await db.$transaction(async (tx) => {
    for (const n of [1, 2, 3]) expect(await tx.$queryRaw<{ n: number }[]>`SELECT ${n}::int AS n, 'prepared-test' AS tag`).toEqual([{ n, tag: "prepared-test" }]);
    return tx.$queryRawUnsafe<{ name: string; statement: string }[]>("SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%prepared-test%' AND statement NOT LIKE '%pg_prepared_statements%'");
  });
  expect(seen).toHaveLength(1);
  expect(seen[0]!.name).toBe(statementName({ sql: seen[0]!.statement, args: [1] }));
  // Several commands without parameters still go through (a prepared statement could not hold them).
  await db.$executeRawUnsafe("SELECT 1; SELECT 2;");
});

it("runs 20 queries at once on 20 connections, none waiting for another's", async () => {
  // Each query holds its connection while it sleeps, so a pool of 10 would answer from 10 backends,
  // the second ten queries waiting for the first ten's connections.
  const rows = await Promise.all(Array.from({ length: 20 }, () => db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid, pg_sleep(0.3)::text AS slept`));
  expect(new Set(rows.map((r) => r[0]!.pid)).size).toBe(20);
});
