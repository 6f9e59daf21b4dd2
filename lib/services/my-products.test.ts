/**
 * My products at the size a busy person reaches: 2,000 products of their own among 20,000 of
 * others, seeded straight into PostgreSQL. Every sort pages through each row exactly once and in
 * order; the filter and "show terminated" match what they say; a page costs the same number of
 * queries whatever its size; the changes summary the list polls moves on any change and is
 * answered from an index alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { queriesPerPage } from "@/test/support/queries";
import { type MyProductSort } from "@/lib/domain/my-products";
import { myProductsQuerySchema } from "@/lib/domain/my-products-query";

let backend: PortalBackend;
let products: typeof import("@/lib/services/products");
let db: typeof import("@/lib/db").db;
let busy: { id: string };
let other: { id: string };

const MINE = 2000;
const OTHERS = 20_000;
// The seed as a rule the assertions recompute: product j of the busy person.
const statusOf = (j: number) => (j % 10 === 0 ? "TERMINATED" : j % 50 === 1 ? "UNDER_CHANGE" : j % 7 === 0 ? "ERROR" : "AVAILABLE");
const nameOf = (j: number) => `ws-${String((j * 7919) % MINE).padStart(4, "0")}${j % 100 === 3 ? "-Genome_50%" : ""}`;
const ORDER = ["PENDING", "UNDER_CHANGE", "AVAILABLE", "TAINTED", "ERROR", "TERMINATED"];

beforeAll(async () => {
  backend = await startPortalBackend();
  products = await import("@/lib/services/products");
  db = (await import("@/lib/db")).db;
  await db.$executeRawUnsafe(`
    INSERT INTO users (id, issuer, subject, email, role, aws_session_name, updated_at)
    SELECT gen_random_uuid(), 'https://idp.example', s, s || '@example.org', 'USER', s || '@example.org', now()
    FROM unnest(ARRAY['busy', 'other']) AS s`);
  busy = await db.user.findFirstOrThrow({ where: { subject: "busy" } });
  other = await db.user.findFirstOrThrow({ where: { subject: "other" } });
  await db.$executeRawUnsafe(`
    INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, created_at, updated_at)
    SELECT gen_random_uuid(), '${busy.id}', 'ws-' || lpad(((j * 7919) % ${MINE})::text, 4, '0') || CASE WHEN j % 100 = 3 THEN '-Genome_50%' ELSE '' END,
           'prod-aaaaaaaaaaaaa', CASE WHEN j % 2 = 0 THEN 'Private bucket' ELSE 'EC2 instance' END, 'pa-aaaaaaaaaaaaa', CASE WHEN j % 5 = 0 THEN 'v2 (Graviton)' ELSE 'v1' END,
           (CASE WHEN j % 10 = 0 THEN 'TERMINATED' WHEN j % 50 = 1 THEN 'UNDER_CHANGE' WHEN j % 7 = 0 THEN 'ERROR' ELSE 'AVAILABLE' END)::"ProductStatus",
           'mine-' || j, timestamp '2026-01-01' + (j || ' seconds')::interval + ((j * 37 % 1000) || ' milliseconds')::interval, timestamp '2026-06-01' - ((j % 300) || ' minutes')::interval
    FROM generate_series(0, ${MINE - 1}) AS j`);
  await db.$executeRawUnsafe(`
    INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, created_at, updated_at)
    SELECT gen_random_uuid(), '${other.id}', 'theirs-' || j || '-genome', 'prod-aaaaaaaaaaaaa', 'Private bucket', 'pa-aaaaaaaaaaaaa', 'v1', 'UNDER_CHANGE', 'theirs-' || j, now(), now()
    FROM generate_series(0, ${OTHERS - 1}) AS j`);
  await db.$executeRawUnsafe("VACUUM ANALYZE provisioned_products");
}, 120_000);

afterAll(async () => {
  await backend?.close();
});

const query = (over: Record<string, unknown> = {}) => myProductsQuerySchema.parse(over);
const seq = (n: number) => Array.from({ length: n }, (_, j) => j);

async function walk(over: Record<string, unknown>) {
  const items: Awaited<ReturnType<typeof products.listMyProducts>>["items"] = [];
  let cursor: string | undefined;
  let total = -1;
  let pages = 0;
  do {
    const page = await products.listMyProducts(busy, query({ ...over, ...(cursor ? { cursor } : {}) }));
    items.push(...page.items);
    total = page.total;
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor && pages < 500);
  return { items, total, pages };
}

describe("My products, paged", () => {
  it("pages through every live product exactly once, in each sort's order", async () => {
    const live = seq(MINE).filter((j) => statusOf(j) !== "TERMINATED");
    for (const sort of ["created", "updated", "name", "status"] satisfies MyProductSort[]) {
      const { items, total, pages } = await walk({ sort, limit: 97 });
      expect(total, sort).toBe(live.length);
      expect(items, sort).toHaveLength(live.length);
      expect(new Set(items.map((p) => p.id)).size, sort).toBe(live.length);
      expect(pages, sort).toBe(Math.ceil(live.length / 97));
      const keys = items.map((p) => (sort === "created" ? p.createdAt : sort === "updated" ? p.updatedAt : sort === "name" ? p.name : String(ORDER.indexOf(p.status)).padStart(2, "0")));
      const sorted = [...keys].sort();
      expect(keys, sort).toEqual(sort === "created" || sort === "updated" ? sorted.reverse() : sorted);
    }
  });

  it("starts with the newest, 50 to a page", async () => {
    const page = await products.listMyProducts(busy, query());
    expect(page.items).toHaveLength(50);
    expect(page.items[0]!.name).toBe(nameOf(MINE - 1));
    expect(page.nextCursor).not.toBeNull();
  });

  it("filters by text in the name, product or version, ignoring case, and % literally", async () => {
    const genome = await walk({ q: "genome_50%" });
    expect(genome.items.map((p) => p.name).sort()).toEqual(seq(MINE).filter((j) => j % 100 === 3 && statusOf(j) !== "TERMINATED").map(nameOf).sort());
    expect((await walk({ q: "GRAVITON", terminated: "1" })).total).toBe(seq(MINE).filter((j) => j % 5 === 0).length);
    expect((await walk({ q: "ec2" })).total).toBe(seq(MINE).filter((j) => j % 2 === 1 && statusOf(j) !== "TERMINATED").length);
    expect((await products.listMyProducts(busy, query({ q: "50_%" }))).total).toBe(0);
  });

  it("shows terminated products only when asked", async () => {
    const all = await walk({ terminated: "1", limit: 100 });
    expect(all.total).toBe(MINE);
    expect(all.items.filter((p) => p.status === "TERMINATED")).toHaveLength(MINE / 10);
    const live = await products.listMyProducts(busy, query({ limit: 100 }));
    expect(live.items.some((p) => p.status === "TERMINATED")).toBe(false);
  });

  it("sends what the list shows and nothing of anyone else's", async () => {
    const page = await products.listMyProducts(busy, query({ q: "genome" }));
    expect(Object.keys(page.items[0]!).sort()).toEqual(["createdAt", "id", "name", "productName", "status", "statusMessage", "updatedAt", "versionName"]);
    expect(page.items.every((p) => p.name.startsWith("ws-"))).toBe(true);
    // Timestamps as the rows hold them, to the millisecond, in Date.toISOString()'s form.
    const rows = await db.provisionedProduct.findMany({ where: { id: { in: page.items.map((p) => p.id) } } });
    expect(page.items.map((p) => [p.id, p.createdAt, p.updatedAt]).sort()).toEqual(rows.map((r) => [r.id, r.createdAt.toISOString(), r.updatedAt.toISOString()]).sort());
    const theirs = await products.listMyProducts(other, query({ q: "ws-" }));
    expect(theirs.total).toBe(0);
  });

  it("refuses a cursor it did not give, naming the field", async () => {
    await expect(products.listMyProducts(busy, { ...query(), cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ status: 422, issues: [{ path: "cursor" }] });
  });

  it("costs one query a page, whether it holds 1 or 100 rows", async () => {
    // The page, its total and the changes summary in one round trip.
    expect(await queriesPerPage([1, 10, 100], (limit) => products.listMyProducts(busy, query({ limit, sort: "name" })))).toEqual([1, 1, 1]);
  });
});

describe("the changes summary My products polls", () => {
  it("counts what is in progress and moves on a status change, a launch and a transfer away", async () => {
    const before = await products.myProductChanges(busy);
    expect(before.inProgress).toBe(seq(MINE).filter((j) => statusOf(j) === "UNDER_CHANGE").length);
    expect(await products.myProductChanges(busy)).toEqual(before); // stable while nothing changes
    expect((await products.listMyProducts(busy, query({ limit: 1 }))).version).toBe(before.version);

    const working = await db.provisionedProduct.findFirstOrThrow({ where: { ownerId: busy.id, status: "UNDER_CHANGE" } });
    await db.provisionedProduct.update({ where: { id: working.id }, data: { status: "AVAILABLE" } });
    const settled = await products.myProductChanges(busy);
    expect(settled.version).not.toBe(before.version);
    expect(settled.inProgress).toBe(before.inProgress - 1);

    // Given away to someone else: the newest change left with it, the count tells.
    const newest = await db.provisionedProduct.findFirstOrThrow({ where: { ownerId: busy.id }, orderBy: { updatedAt: "desc" } });
    await db.provisionedProduct.update({ where: { id: newest.id }, data: { ownerId: other.id } });
    const transferred = await products.myProductChanges(busy);
    expect(transferred.version).not.toBe(settled.version);
    await db.provisionedProduct.update({ where: { id: newest.id }, data: { ownerId: busy.id } });
  });

  it("reads only the person's index entries; from the index alone once vacuumed", async () => {
    const { Prisma } = await import("@/generated/prisma/client");
    const explain = async () =>
      (
        await db.$queryRaw<{ "QUERY PLAN": string }[]>(
          Prisma.sql`EXPLAIN SELECT count(*)::int AS products, count(*) FILTER (WHERE p.status IN ('PENDING', 'UNDER_CHANGE'))::int, max(p.updated_at) FROM provisioned_products p WHERE p.owner_id = ${busy.id}::uuid`,
        )
      )
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    // Just after the updates above (pages not yet all-visible): an index scan of their entries.
    const fresh = await explain();
    expect(fresh).toContain("provisioned_products_owner_id_status_updated_at_idx");
    expect(fresh).not.toContain("Seq Scan");
    // What autovacuum brings back within a minute: no table page read at all.
    await db.$executeRawUnsafe("VACUUM provisioned_products");
    expect(await explain()).toContain("Index Only Scan using provisioned_products_owner_id_status_updated_at_idx");
  });
});
