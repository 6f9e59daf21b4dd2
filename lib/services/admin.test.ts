/**
 * The admin lists at the size the issue names: 1,000 users and 20,000 provisioned products,
 * seeded straight into PostgreSQL. Filters, sorts and keyset paging return exactly the right
 * rows; a products page costs one query whatever its size; selective filters use an index.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { queriesPerPage } from "@/test/support/queries";
import { productFilterSchema, userFilterSchema, type ProductFilter } from "@/lib/domain/admin-filters";

let backend: PortalBackend;
let admin: typeof import("@/lib/services/admin");
let db: typeof import("@/lib/db").db;

const USERS = 1000;
const PRODUCTS = 20_000;
const PRODUCT_IDS = ["prod-aaaaaaaaaaaaa", "prod-bbbbbbbbbbbbb", "prod-ccccccccccccc"];

// The seed, as a rule the assertions can recompute: product j belongs to user j % 1000.
const statusOf = (j: number) => (j % 10 === 0 ? "TERMINATED" : j % 97 === 0 ? "ERROR" : j % 89 === 0 ? "TAINTED" : "AVAILABLE");
const departmentOf = (i: number) => `Dept ${i % 20}`;
const projectOf = (i: number) => `Project ${i % 50}`;

beforeAll(async () => {
  backend = await startPortalBackend();
  admin = await import("@/lib/services/admin");
  db = (await import("@/lib/db")).db;
  await db.$executeRawUnsafe(`
    INSERT INTO users (id, issuer, subject, email, name, department, project, role, aws_session_name, updated_at, last_login_at)
    SELECT gen_random_uuid(), 'https://idp.example', 'user' || i, 'user' || lpad(i::text, 4, '0') || '@example.org', 'User ' || i,
           'Dept ' || (i % 20), 'Project ' || (i % 50), CASE WHEN i % 100 = 0 THEN 'ADMIN' ELSE 'USER' END::"Role",
           'user' || lpad(i::text, 4, '0') || '@example.org', now(), now() - (i || ' minutes')::interval
    FROM generate_series(0, ${USERS - 1}) AS i`);
  await db.$executeRawUnsafe(`
    INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, created_at, updated_at)
    SELECT gen_random_uuid(), u.id, 'item-' || j || CASE WHEN j % 1000 = 7 THEN '-genome' ELSE '' END,
           (ARRAY['${PRODUCT_IDS.join("','")}'])[j % 3 + 1], 'Product ' || (j % 3), 'pa-aaaaaaaaaaaaa', 'v1',
           (CASE WHEN j % 10 = 0 THEN 'TERMINATED' WHEN j % 97 = 0 THEN 'ERROR' WHEN j % 89 = 0 THEN 'TAINTED' ELSE 'AVAILABLE' END)::"ProductStatus",
           'seed-' || j, timestamp '2026-01-01' + (j || ' seconds')::interval + ((j * 37 % 1000) || ' milliseconds')::interval, timestamp '2026-06-01' - (j || ' seconds')::interval - ((j * 53 % 1000) || ' milliseconds')::interval
    FROM generate_series(0, ${PRODUCTS - 1}) AS j
    JOIN users u ON u.subject = 'user' || (j % ${USERS})`);
  await db.$executeRawUnsafe("ANALYZE users; ANALYZE provisioned_products;");
}, 120_000);

afterAll(async () => {
  await backend?.close();
});

const filter = (over: Record<string, unknown> = {}) => productFilterSchema.parse(over);
const seq = (n: number) => Array.from({ length: n }, (_, j) => j);
const userId = async (i: number) => (await db.user.findFirstOrThrow({ where: { subject: `user${i}` } })).id;

/** Follows the cursors to the end; every row once. */
async function walk(f: ProductFilter) {
  const seen: Awaited<ReturnType<typeof admin.listAllProducts>>["items"] = [];
  let cursor: string | undefined;
  let total = -1;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await admin.listAllProducts({ ...f, ...(cursor ? { cursor } : {}) }, { countCap: PRODUCTS });
    total = page.total;
    seen.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { seen, total };
}

describe("all products, for admins", () => {
  it("lists live products newest first, 50 to a page, with the total", async () => {
    const page = await admin.listAllProducts(filter(), { countCap: PRODUCTS });
    const live = seq(PRODUCTS).filter((j) => statusOf(j) !== "TERMINATED");
    expect(page.total).toBe(live.length);
    expect(page.totalCapped).toBe(false);
    expect(page.items).toHaveLength(50);
    expect(page.items.map((p) => p.name)).toEqual(live.reverse().slice(0, 50).map((j) => (j % 1000 === 7 ? `item-${j}-genome` : `item-${j}`)));
    expect(page.items[0]!.owner).toMatchObject({ email: `user${String((PRODUCTS - 1) % USERS).padStart(4, "0")}@example.org` });
    // Timestamps as the rows hold them, to the millisecond, in Date.toISOString()'s form.
    const rows = await db.provisionedProduct.findMany({ where: { id: { in: page.items.map((p) => p.id) } } });
    expect(page.items.map((p) => [p.id, p.createdAt, p.updatedAt]).sort()).toEqual(rows.map((r) => [r.id, r.createdAt.toISOString(), r.updatedAt.toISOString()]).sort());
  });

  it("filters by owner, product, status, department, project and text, each exactly", async () => {
    const expectations: [Record<string, unknown>, (j: number) => boolean][] = [
      [{ owner: await userId(42) }, (j) => j % USERS === 42 && statusOf(j) !== "TERMINATED"],
      [{ owner: "User0042@Example.org" }, (j) => j % USERS === 42 && statusOf(j) !== "TERMINATED"],
      [{ product: PRODUCT_IDS[1] }, (j) => j % 3 === 1 && statusOf(j) !== "TERMINATED"],
      [{ status: "ERROR" }, (j) => statusOf(j) === "ERROR"],
      [{ status: "TERMINATED" }, (j) => statusOf(j) === "TERMINATED"],
      [{ department: "Dept 7" }, (j) => departmentOf(j % USERS) === "Dept 7" && statusOf(j) !== "TERMINATED"],
      [{ project: "Project 13" }, (j) => projectOf(j % USERS) === "Project 13" && statusOf(j) !== "TERMINATED"],
      [{ q: "GENOME" }, (j) => j % 1000 === 7 && statusOf(j) !== "TERMINATED"],
      [{ department: "Dept 7", status: "TAINTED", product: PRODUCT_IDS[2] }, (j) => departmentOf(j % USERS) === "Dept 7" && statusOf(j) === "TAINTED" && j % 3 === 2],
    ];
    for (const [over, expected] of expectations) {
      const { seen, total } = await walk(filter({ ...over, limit: 100 }));
      const want = seq(PRODUCTS).filter(expected);
      expect(total, JSON.stringify(over)).toBe(want.length);
      expect(new Set(seen.map((p) => p.name)).size, JSON.stringify(over)).toBe(want.length);
    }
  });

  it("counts up to its cap, then says there are more; an exact count up to it", async () => {
    const capped = await admin.listAllProducts(filter());
    expect(capped).toMatchObject({ total: admin.PRODUCT_COUNT_CAP, totalCapped: true });
    expect(capped.items).toHaveLength(50);
    const ownerOnly = seq(PRODUCTS).filter((j) => j % USERS === 42 && statusOf(j) !== "TERMINATED").length;
    expect(await admin.listAllProducts(filter({ owner: await userId(42) }), { countCap: ownerOnly })).toMatchObject({ total: ownerOnly, totalCapped: false });
    expect(await admin.listAllProducts(filter({ owner: await userId(42) }), { countCap: ownerOnly - 1 })).toMatchObject({ total: ownerOnly - 1, totalCapped: true });
    expect(await admin.listAllProducts(filter({ department: "Dept 7" }), { countCap: 5 })).toMatchObject({ total: 5, totalCapped: true });
  });

  it("treats % and _ in the text as themselves", async () => {
    expect((await admin.listAllProducts(filter({ q: "%" }))).total).toBe(0);
    expect((await admin.listAllProducts(filter({ q: "item_1" }))).total).toBe(0);
  });

  it("pages through every sort in both directions without losing or repeating a row", async () => {
    for (const sort of ["created", "updated", "name", "status", "owner"] as const) {
      for (const dir of ["asc", "desc"] as const) {
        const { seen, total } = await walk(filter({ product: PRODUCT_IDS[0], department: "Dept 3", sort, dir, limit: 7 }));
        expect(seen).toHaveLength(total);
        expect(new Set(seen.map((p) => p.id)).size).toBe(total);
        const keys = seen.map((p) => ({ created: p.createdAt, updated: p.updatedAt, name: p.name, status: p.status, owner: p.owner.email })[sort]);
        const sorted = [...keys].sort((a, b) => (sort === "status" ? ["PENDING", "UNDER_CHANGE", "AVAILABLE", "TAINTED", "ERROR", "TERMINATED"].indexOf(a) - ["PENDING", "UNDER_CHANGE", "AVAILABLE", "TAINTED", "ERROR", "TERMINATED"].indexOf(b) : a < b ? -1 : a > b ? 1 : 0));
        expect(keys, `${sort} ${dir}`).toEqual(dir === "asc" ? sorted : sorted.reverse());
      }
    }
  });

  it("refuses a cursor it did not give", async () => {
    // The URL's schema says so (the pages show it as a filter error) and so does the service.
    expect(productFilterSchema.safeParse({ cursor: "bm90LWEtY3Vyc29y" }).error?.issues).toMatchObject([{ path: ["cursor"], message: "cursor is not one the portal gave; start from the first page" }]);
    expect(userFilterSchema.safeParse({ cursor: "bm90LWEtY3Vyc29y" }).success).toBe(false);
    await expect(admin.listAllProducts({ ...filter(), cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ status: 422, issues: [{ path: "cursor" }] });
  });

  it("costs one query a page, whether the page holds 1 or 100 rows", async () => {
    // The page and its count, in one round trip.
    expect(await queriesPerPage([1, 10, 100], (limit) => admin.listAllProducts(filter({ limit, department: "Dept 4" })))).toEqual([1, 1, 1]);
  });

  it("answers selective filters from an index, not a scan of every product", async () => {
    const { productConditions } = admin;
    const { Prisma } = await import("@/generated/prisma/client");
    const cases: Record<string, unknown>[] = [{ owner: await userId(5) }, { q: "genome" }, { status: "ERROR" }, { department: "Dept 11", project: "Project 11" }];
    for (const over of cases) {
      const where = productConditions(filter(over));
      const plan = await db.$queryRaw<{ "QUERY PLAN": unknown }[]>(
        Prisma.sql`EXPLAIN (FORMAT JSON) SELECT p.id FROM provisioned_products p JOIN users u ON u.id = p.owner_id WHERE ${where} ORDER BY p.created_at DESC, p.id DESC LIMIT 51`,
      );
      const nodes: { "Node Type": string; "Relation Name"?: string; "Index Name"?: string }[] = [];
      const visit = (node: { Plans?: unknown[] } & (typeof nodes)[number]) => {
        nodes.push(node);
        for (const child of node.Plans ?? []) visit(child as never);
      };
      visit((plan[0]!["QUERY PLAN"] as { Plan: never }[])[0]!.Plan);
      const onProducts = nodes.filter((n) => n["Relation Name"] === "provisioned_products");
      expect(onProducts.map((n) => n["Node Type"]), JSON.stringify(over)).not.toContain("Seq Scan");
      expect(onProducts.length, JSON.stringify(over)).toBeGreaterThan(0);
    }
  });

  it("offers each product anyone launched once, under its newest name, from index probes rather than a sort of every product", async () => {
    // A product renamed in the catalog since its first launch; its newest row is terminated.
    const owner = await userId(1);
    await db.$executeRawUnsafe(`
      INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, created_at, updated_at)
      VALUES (gen_random_uuid(), '${owner}', 'renamed-1', 'prod-ddddddddddddd', 'Old name', 'pa-aaaaaaaaaaaaa', 'v1', 'AVAILABLE', 'renamed-1', timestamp '2025-01-01', now()),
             (gen_random_uuid(), '${owner}', 'renamed-2', 'prod-ddddddddddddd', 'A new name', 'pa-aaaaaaaaaaaaa', 'v1', 'TERMINATED', 'renamed-2', timestamp '2026-07-01', now())`);
    try {
      expect(await admin.productChoices()).toEqual([
        { productId: "prod-ddddddddddddd", name: "A new name" },
        { productId: PRODUCT_IDS[0], name: "Product 0" },
        { productId: PRODUCT_IDS[1], name: "Product 1" },
        { productId: PRODUCT_IDS[2], name: "Product 2" },
      ]);
      const { Prisma } = await import("@/generated/prisma/client");
      const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${admin.PRODUCT_CHOICES}`);
      const nodes: { "Node Type": string; "Relation Name"?: string; "Actual Rows": number; "Actual Loops": number; Plans?: never[] }[] = [];
      const visit = (node: (typeof nodes)[number]) => {
        nodes.push(node);
        for (const child of node.Plans ?? []) visit(child);
      };
      visit((plan[0]!["QUERY PLAN"] as unknown as { Plan: never }[])[0]!.Plan);
      const onProducts = nodes.filter((n) => n["Relation Name"] === "provisioned_products");
      expect(onProducts.map((n) => n["Node Type"])).not.toContain("Seq Scan");
      expect(nodes.map((n) => n["Node Type"])).not.toContain("Sort");
      // A handful of index entries per product, not the table's PRODUCTS rows.
      expect(onProducts.reduce((rows, n) => rows + n["Actual Rows"] * n["Actual Loops"], 0)).toBeLessThan(20);
    } finally {
      await db.$executeRawUnsafe(`DELETE FROM provisioned_products WHERE product_id = 'prod-ddddddddddddd'`);
    }
  });
});

describe("users, for admins", () => {
  it("lists everyone with their live products, filtered by text and role, paged", async () => {
    const page = await admin.listUsers(userFilterSchema.parse({ q: "user004", limit: 100 }));
    expect(page.total).toBe(10); // user0040..user0049
    const user42 = page.items.find((u) => u.email === "user0042@example.org")!;
    expect(user42.liveProducts).toBe(seq(PRODUCTS).filter((j) => j % USERS === 42 && statusOf(j) !== "TERMINATED").length);
    expect((await admin.listUsers(userFilterSchema.parse({ role: "ADMIN" }))).total).toBe(10);
    let cursor: string | undefined;
    const emails: string[] = [];
    do {
      const next = await admin.listUsers(userFilterSchema.parse({ limit: 77, sort: "lastLogin", ...(cursor ? { cursor } : {}) }));
      emails.push(...next.items.map((u) => u.email));
      cursor = next.nextCursor ?? undefined;
    } while (cursor);
    expect(emails).toHaveLength(USERS);
    expect(emails[0]).toBe("user0000@example.org"); // the most recent login
  });
});

describe("the department and project filters follow the owner", () => {
  it("shows a person's products under the department and project they have now, and a product handed over under its new owner's", async () => {
    const { recordLogin } = await import("@/lib/services/users");
    const names = async (over: Record<string, unknown>) => (await walk(filter({ ...over, limit: 100 }))).seen.map((p) => p.name);
    const live42 = seq(PRODUCTS).filter((j) => j % USERS === 42 && statusOf(j) !== "TERMINATED").map((j) => (j % 1000 === 7 ? `item-${j}-genome` : `item-${j}`));
    expect(await names({ department: "Dept 2", owner: await userId(42) })).toHaveLength(live42.length);

    // User 42 signs in with a new department and project from the identity provider.
    await recordLogin({ issuer: "https://idp.example", subject: "user42", email: "user0042@example.org", name: "User 42", department: "Genomics", project: "Atlas", groups: [] });
    expect((await names({ department: "Genomics" })).sort()).toEqual([...live42].sort());
    expect((await names({ project: "Atlas" })).sort()).toEqual([...live42].sort());
    expect(await names({ department: "Dept 2", owner: await userId(42) })).toEqual([]);
    expect(await names({ project: "Project 42", owner: await userId(42) })).toEqual([]);

    // One of them is handed to user 43 (Dept 3, Project 43), as a transfer's last step does.
    const handed = await db.provisionedProduct.findFirstOrThrow({ where: { name: live42[0] } });
    await db.provisionedProduct.update({ where: { id: handed.id }, data: { ownerId: await userId(43) } });
    expect(await names({ department: "Genomics" })).not.toContain(live42[0]);
    expect(await names({ department: "Dept 3", project: "Project 43", q: live42[0] })).toContain(live42[0]);
    // The copies cannot be set by hand to something else than the owner's.
    await db.provisionedProduct.update({ where: { id: handed.id }, data: { ownerDepartment: "Genomics" } });
    expect(await names({ department: "Genomics" })).not.toContain(live42[0]);
  });
});
