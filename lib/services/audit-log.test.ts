/**
 * The audit log as an administrator reads it: every filter selects exactly the matching events,
 * keyset pages in both directions add up to the whole filtered log (ties on the timestamp
 * included), the CSV export streams the same rows with safe cells, and refused attempts are
 * recorded as DENIED within each person's budget. Against PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { logInPeople, type People } from "@/test/support/portal-fixtures";
import type { AuditEventView } from "@/lib/services/audit-log";
import type { User } from "@/generated/prisma/client";

vi.mock("@/lib/logger", async (original) => (await import("@/test/support/captured-logs")).loggerWritingToMemory(await original()));
// The guard's session lookup (next-auth) stands in for a signed-in person; everything after it is real.
const signedIn = vi.hoisted(() => ({ user: null as User | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => signedIn.user }));

const DENIED_BUDGET = 5;

let backend: PortalBackend;
let people: People;
let services: {
  log: typeof import("@/lib/services/audit-log");
  provisioning: typeof import("@/lib/services/provisioning");
  products: typeof import("@/lib/services/products");
  query: typeof import("@/lib/domain/audit-query");
  db: typeof import("@/lib/db").db;
  logs: typeof import("@/test/support/captured-logs");
};

type Seeded = { id: string; createdAt: string; actorId: string | null; actorEmail: string | null; action: string; outcome: "SUCCESS" | "FAILURE" | "DENIED"; targetType: string | null; targetId: string | null };
let seeded: Seeded[];

beforeAll(async () => {
  process.env.AUDIT_DENIED_PER_HOUR = String(DENIED_BUDGET);
  backend = await startPortalBackend();
  services = {
    log: await import("@/lib/services/audit-log"),
    provisioning: await import("@/lib/services/provisioning"),
    products: await import("@/lib/services/products"),
    query: await import("@/lib/domain/audit-query"),
    db: (await import("@/lib/db")).db,
    logs: await import("@/test/support/captured-logs"),
  };
  people = await logInPeople();
  // 150 events over a few minutes, every fifth sharing its timestamp with the one before (ties
  // are what keyset paging gets wrong first), by three people and the system.
  const actors = [people.alice, people.bob, people.admin, null];
  const actions = ["product.launch", "product.update", "product.terminate", "auth.login", "reconcile.terminated-outside", "productivity.note"];
  const outcomes = ["SUCCESS", "FAILURE", "DENIED"] as const;
  const base = Date.parse("2026-03-01T12:00:00.000Z");
  const rows: Seeded[] = [];
  for (let i = 0; i < 150; i++) {
    const actor = actors[i % 4]!;
    const at = base + (i - (i % 5 === 1 ? 1 : 0)) * 1000 + 7;
    rows.push({
      id: crypto.randomUUID(),
      createdAt: new Date(at).toISOString(),
      actorId: actor?.id ?? null,
      actorEmail: actor?.email ?? null,
      action: actions[i % 6]!,
      outcome: outcomes[i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : 0]!,
      targetType: i % 6 === 3 ? "user" : "provisioned-product",
      targetId: i % 6 === 3 ? (actor?.id ?? "none") : `product-${i % 10}`,
    });
  }
  // The logins of logInPeople() are in the log too: start from a clean slate of known rows.
  const before = await services.db.auditEvent.findMany();
  await services.db.auditEvent.createMany({ data: rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt), details: { n: r.id.slice(0, 4) } })) });
  seeded = [
    ...rows,
    ...before.map((e) => ({ id: e.id, createdAt: e.createdAt.toISOString(), actorId: e.actorId, actorEmail: e.actorEmail, action: e.action, outcome: e.outcome, targetType: e.targetType, targetId: e.targetId })),
  ];
}, 120_000);

afterAll(async () => {
  await backend?.close();
});

/** The log as the database orders it: newest first, id breaking ties. */
const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

function page(input: Record<string, string>) {
  return services.log.listAuditEvents(services.query.auditPageQuerySchema.parse(input));
}

/** Every event of a filter, following the Older links from the newest page. */
async function walkOlder(filter: Record<string, string>, limit: number): Promise<{ events: AuditEventView[]; pages: AuditEventView[][]; cursors: (string | null)[] }> {
  const pages: AuditEventView[][] = [];
  const cursors: (string | null)[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const result = await page({ ...filter, limit: String(limit), ...(cursor ? { cursor } : {}) });
    pages.push(result.events);
    cursors.push(cursor);
    if (!result.older) break;
    cursor = result.older;
  }
  return { events: pages.flat(), pages, cursors };
}

describe("keyset paging", () => {
  it("the Older links walk the whole log once, in order, ties on the timestamp included", async () => {
    const { events, pages } = await walkOlder({}, 20);
    const expected = [...seeded].sort(newestFirst);
    expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(pages.slice(0, -1).every((p) => p.length === 20)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it("the Newer links from the last page come back through the same pages, and the newest page has none", async () => {
    const { pages } = await walkOlder({ outcome: "SUCCESS" }, 13);
    expect(pages.length).toBeGreaterThan(3);
    // From the last page back up.
    let result = await page({ outcome: "SUCCESS", limit: "13", cursor: (await walkOlder({ outcome: "SUCCESS" }, 13)).cursors.at(-1)! });
    const seen: string[][] = [result.events.map((e) => e.id)];
    while (result.newer) {
      result = await page({ outcome: "SUCCESS", limit: "13", cursor: result.newer });
      seen.unshift(result.events.map((e) => e.id));
    }
    expect(seen).toEqual(pages.map((p) => p.map((e) => e.id)));
    expect((await page({ outcome: "SUCCESS", limit: "13" })).newer).toBeNull();
  });

  it("a page needs one query (two with an action prefix), however deep", async () => {
    const { cursors } = await walkOlder({}, 10);
    const deep = cursors.at(-2)!;
    const client = (globalThis as unknown as { prisma: typeof services.db }).prisma;
    const spy = vi.spyOn(client, "$queryRaw");
    await page({ limit: "10", cursor: deep });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    await page({ action: "product.*", actor: people.alice.email, limit: "10", cursor: deep });
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });
});

describe("filters", () => {
  // Filters are functions: people's ids are known only once the tests run.
  const cases: [string, () => Record<string, string>, (e: Seeded) => boolean][] = [
    ["actor by email", () => ({ actor: "Alice@Example.org" }), (e) => e.actorEmail === "alice@example.org"],
    ["actor by id", () => ({ actor: people.bob.id }), (e) => e.actorId === people.bob.id],
    ["exact action", () => ({ action: "product.update" }), (e) => e.action === "product.update"],
    ["action prefix (product.* leaves productivity.note out)", () => ({ action: "product.*" }), (e) => e.action.startsWith("product.")],
    ["action prefix without a dot", () => ({ action: "product*" }), (e) => e.action.startsWith("product")],
    ["action prefix nothing has", () => ({ action: "transfer.*" }), () => false],
    ["outcome", () => ({ outcome: "DENIED" }), (e) => e.outcome === "DENIED"],
    ["target type", () => ({ targetType: "user" }), (e) => e.targetType === "user"],
    ["target type and id", () => ({ targetType: "provisioned-product", targetId: "product-4" }), (e) => e.targetType === "provisioned-product" && e.targetId === "product-4"],
    ["time range, start included, end not", () => ({ from: "2026-03-01T12:00:30.007Z", to: "2026-03-01T12:01:40.007Z" }), (e) => e.createdAt >= "2026-03-01T12:00:30.007Z" && e.createdAt < "2026-03-01T12:01:40.007Z"],
    [
      "everything at once",
      () => ({ actor: "bob@example.org", action: "product.*", outcome: "SUCCESS", targetType: "provisioned-product", from: "2026-03-01T12:00:10Z", to: "2026-03-01T12:02:00+00:00" }),
      (e) => e.actorEmail === "bob@example.org" && e.action.startsWith("product.") && e.outcome === "SUCCESS" && e.targetType === "provisioned-product" && e.createdAt >= "2026-03-01T12:00:10.000Z" && e.createdAt < "2026-03-01T12:02:00.000Z",
    ],
  ];

  for (const [name, filter, matches] of cases) {
    it(`${name}: exactly the matching events, across pages`, async () => {
      const expected = seeded.filter(matches).sort(newestFirst);
      const { events } = await walkOlder(filter(), 7);
      expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      if (name !== "action prefix nothing has") expect(expected.length).toBeGreaterThan(0);
    });
  }

  it("offers the actions and target types the log holds", async () => {
    const facets = await services.log.listAuditFacets();
    expect(facets.actions).toEqual([...new Set(seeded.map((e) => e.action))].sort());
    expect(facets.targetTypes).toEqual([...new Set(seeded.map((e) => e.targetType).filter((t): t is string => t !== null))].sort());
  });
});

/** Reads a stream to the end as text. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** A small RFC 4180 parser, enough to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  if (cell !== "" || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

describe("CSV export", () => {
  it("streams the filtered events in batches, newest first, exactly those of the pages", async () => {
    const filter = services.query.auditFilterSchema.parse({ action: "product.*", outcome: "SUCCESS" });
    // Batches of 7 rows: many batch boundaries, some inside runs of equal timestamps.
    const rows = parseCsv(await readAll(services.log.auditCsvStream(filter, { batchRows: 7 })));
    expect(rows[0]).toEqual([...services.log.AUDIT_CSV_COLUMNS]);
    const expected = seeded.filter((e) => e.action.startsWith("product.") && e.outcome === "SUCCESS").sort(newestFirst);
    expect(rows.slice(1).map((r) => r[1])).toEqual(expected.map((e) => e.id));
    const first = rows[1]!;
    expect(first[0]).toBe(expected[0]!.createdAt);
    expect(first[4]).toBe(expected[0]!.action);
    expect(JSON.parse(first[9]!)).toEqual({ n: expected[0]!.id.slice(0, 4) });
  });

  it("an export of nothing is the header alone", async () => {
    const text = await readAll(services.log.auditCsvStream(services.query.auditFilterSchema.parse({ action: "transfer.*" })));
    expect(text).toBe(`${services.log.AUDIT_CSV_COLUMNS.join(",")}\r\n`);
  });

  it("cells people typed cannot run as formulas or break the columns", async () => {
    const nasty = { name: '=HYPERLINK("http://evil.example","click")', note: "a,b\r\nc" };
    const id = crypto.randomUUID();
    await services.db.auditEvent.create({ data: { id, action: "product.launch", outcome: "SUCCESS", targetType: "provisioned-product", targetId: "@SUM(1+1)", actorEmail: "-x@example.org", details: nasty, createdAt: new Date("2020-01-01T00:00:00.000Z") } });
    const text = await readAll(services.log.auditCsvStream(services.query.auditFilterSchema.parse({ to: "2020-01-02" })));
    const rows = parseCsv(text);
    expect(rows).toHaveLength(2);
    const row = rows[1]!;
    expect(row).toHaveLength(services.log.AUDIT_CSV_COLUMNS.length);
    expect(row[1]).toBe(id);
    expect(row[2]).toBe("'-x@example.org");
    expect(row[7]).toBe("'@SUM(1+1)");
    expect(JSON.parse(row[9]!)).toEqual(nasty); // JSON starts with "{": not a formula, kept as is
  });

  it("the export the admin page downloads is itself recorded", async () => {
    const filter = services.query.auditFilterSchema.parse({ outcome: "DENIED" });
    const { filename, stream } = await services.log.exportAuditLog({ user: people.admin, requestId: "export-test-1" }, filter);
    await stream.cancel();
    expect(filename).toMatch(/^quartermaster-audit-\d{8}T\d{6}Z\.csv$/);
    const event = await services.db.auditEvent.findFirst({ where: { action: "audit.export", requestId: "export-test-1" } });
    expect(event).toMatchObject({ actorId: people.admin.id, outcome: "SUCCESS", details: { filter: { outcome: "DENIED" } } });
  });
});

describe("refused attempts", () => {
  async function product(owner: User) {
    return services.db.provisionedProduct.create({
      data: {
        ownerId: owner.id,
        name: `audit-${crypto.randomUUID().slice(0, 8)}`,
        productId: "prod-abcdefghij123",
        productName: "Bucket",
        provisioningArtifactId: "pa-abcdefghij123",
        provisioningArtifactName: "v1",
        provisionToken: crypto.randomUUID(),
        status: "AVAILABLE",
      },
    });
  }
  const denials = (user: User) => services.db.auditEvent.findMany({ where: { actorId: user.id, outcome: "DENIED" }, orderBy: { createdAt: "asc" } });

  it("someone else's product: DENIED with the attempted action; an unknown id or one's own product: nothing", async () => {
    const alices = await product(people.alice);
    const before = { alice: (await denials(people.alice)).length, bob: (await denials(people.bob)).length, admin: (await denials(people.admin)).length };
    await expect(services.products.findVisibleProduct(people.bob, alices.id, "read", { action: "product.read", requestId: "req-denied-1" })).rejects.toMatchObject({ status: 404 });
    await expect(services.provisioning.terminateProduct({ user: people.bob, requestId: "req-denied-2" }, alices.id, { confirmName: alices.name })).rejects.toMatchObject({ status: 404 });
    await expect(services.products.findVisibleProduct(people.bob, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
    await expect(services.products.findVisibleProduct(people.bob, "not-a-uuid")).rejects.toMatchObject({ status: 404 });
    await services.products.findVisibleProduct(people.alice, alices.id, "change");
    await services.products.findVisibleProduct(people.admin, alices.id, "read");
    const recorded = (await denials(people.bob)).slice(before.bob);
    expect(recorded.map((e) => [e.action, e.targetType, e.targetId, e.requestId, e.actorEmail])).toEqual([
      ["product.read", "provisioned-product", alices.id, "req-denied-1", "bob@example.org"],
      ["product.terminate", "provisioned-product", alices.id, "req-denied-2", "bob@example.org"],
    ]);
    expect(await denials(people.alice)).toHaveLength(before.alice);
    // An administrator may read anyone's product but not change it.
    expect(await denials(people.admin)).toHaveLength(before.admin);
    await expect(services.products.findVisibleProduct(people.admin, alices.id, "change", { action: "product.update" })).rejects.toMatchObject({ status: 404 });
    expect((await denials(people.admin)).slice(before.admin).map((e) => e.action)).toEqual(["product.update"]);
  });

  it("a researcher on an admin API: 403, recorded as DENIED with the route", async () => {
    const { GET } = await import("@/app/api/admin/audit/route");
    signedIn.user = people.alice;
    const response = await GET(new NextRequest("http://localhost:3000/api/admin/audit?outcome=DENIED", { headers: { "x-request-id": "req-admin-api-1" } }), { params: Promise.resolve({}) });
    expect(response.status).toBe(403);
    const [event] = await services.db.auditEvent.findMany({ where: { requestId: "req-admin-api-1" } });
    expect(event).toMatchObject({ actorId: people.alice.id, action: "audit.read", outcome: "DENIED", targetType: "route", targetId: "GET /api/admin/audit", details: { permission: "audit:read", role: "USER" } });
    // The administrator gets the page.
    signedIn.user = people.admin;
    const allowed = await GET(new NextRequest("http://localhost:3000/api/admin/audit?outcome=DENIED&limit=2"), { params: Promise.resolve({}) });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { events: unknown[] }).events).toHaveLength(2);
  });

  it("repeating a refused request cannot flood the log: at most the budget per person, the rest only logged", async () => {
    const { GET } = await import("@/app/api/admin/audit/export/route");
    const flooder = (await logInPeopleAs("flooder@example.org"))!;
    signedIn.user = flooder;
    services.logs.clearLogs();
    const responses = await Promise.all(Array.from({ length: DENIED_BUDGET + 7 }, () => GET(new NextRequest("http://localhost:3000/api/admin/audit/export"), { params: Promise.resolve({}) })));
    expect(responses.map((r) => r.status)).toEqual(Array(DENIED_BUDGET + 7).fill(403));
    expect(await denials(flooder)).toHaveLength(DENIED_BUDGET);
    const skipped = services.logs.logLines().filter((l) => l.msg?.startsWith("denied attempt not recorded in the audit log"));
    expect(skipped).toHaveLength(7);
    expect(skipped[0]).toMatchObject({ userId: flooder.id, audit: { action: "audit.read", target: { type: "route", id: "GET /api/admin/audit/export" } } });
  });
});

async function logInPeopleAs(email: string): Promise<User> {
  const { recordLogin } = await import("@/lib/services/users");
  return recordLogin({ issuer: "http://localhost:3001", subject: email, email, name: "Flooder", department: "X", project: "Y", groups: [] });
}
