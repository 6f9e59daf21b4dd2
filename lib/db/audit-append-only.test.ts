/**
 * The audit log is append-only for the application: after the migrations, PostgreSQL itself
 * refuses UPDATE, DELETE and TRUNCATE of audit_events, over a plain connection and through the
 * portal's Prisma client alike, while new events are still written.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";

let database: TestDatabase;
let client: pg.Client;
let prisma: PrismaClient;
let userId: string;
let eventId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  const user = await prisma.user.create({ data: { issuer: "https://idp.example", subject: "alice", email: "alice@example.org" } });
  userId = user.id;
  eventId = (await prisma.auditEvent.create({ data: { actorId: user.id, actorEmail: user.email, action: "auth.login", outcome: "SUCCESS" } })).id;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await client?.end();
  await database?.drop();
});

async function refusal(sql: string, values: unknown[] = []): Promise<{ code?: string; message: string }> {
  try {
    await client.query(sql, values);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error(`expected PostgreSQL to refuse: ${sql}`);
}

const count = async () => Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM audit_events")).rows[0]!.n);

describe("audit_events is append-only", () => {
  it("refuses UPDATE, even one that matches no row", async () => {
    for (const sql of [`UPDATE audit_events SET outcome = 'DENIED' WHERE id = '${eventId}'`, "UPDATE audit_events SET action = 'x'", "UPDATE audit_events SET action = 'x' WHERE false"]) {
      const error = await refusal(sql);
      expect(error.code).toBe("42501");
      expect(error.message).toBe("audit_events is append-only: UPDATE is not allowed");
    }
    const row = await prisma.auditEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(row.outcome).toBe("SUCCESS");
    expect(row.action).toBe("auth.login");
  });

  it("refuses DELETE and TRUNCATE", async () => {
    const before = await count();
    expect(await refusal(`DELETE FROM audit_events WHERE id = $1`, [eventId])).toMatchObject({ code: "42501", message: "audit_events is append-only: DELETE is not allowed" });
    expect(await refusal("DELETE FROM audit_events")).toMatchObject({ code: "42501" });
    expect(await refusal("TRUNCATE audit_events")).toMatchObject({ code: "42501", message: "audit_events is append-only: TRUNCATE is not allowed" });
    expect(await refusal("TRUNCATE users CASCADE")).toMatchObject({ code: "42501" });
    expect(await count()).toBe(before);
  });

  it("refuses the portal's own client too, which still appends", async () => {
    await expect(prisma.auditEvent.update({ where: { id: eventId }, data: { outcome: "FAILURE" } })).rejects.toThrow(/append-only/);
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe("DELETE FROM audit_events")).rejects.toThrow(/append-only/);
    const before = await count();
    await prisma.auditEvent.create({ data: { actorId: userId, actorEmail: "alice@example.org", action: "product.launch", outcome: "SUCCESS" } });
    expect(await count()).toBe(before + 1);
  });

  it("so a user cannot be deleted: the foreign key's ON DELETE SET NULL is an UPDATE of the log", async () => {
    const error = await refusal("DELETE FROM users WHERE id = $1", [userId]);
    expect(error.message).toBe("audit_events is append-only: UPDATE is not allowed");
    expect(await prisma.user.findUnique({ where: { id: userId } })).not.toBeNull();
    const row = await prisma.auditEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(row.actorId).toBe(userId);
  });
});
