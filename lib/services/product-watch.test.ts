/**
 * The product page's read and what the page polls while AWS works (GET /api/products/[id]/changes),
 * against PostgreSQL and the emulator over HTTP. The page's read is one query whatever the
 * product's history and shows each record as stored. Through a launch and a termination the
 * poll's version is the page's own (so the page refreshes exactly when what it shows changed),
 * it costs one query whatever the product's history, and it is the product page's rule for who
 * may ask: the owner and administrators; anyone else learns nothing (404, the refusal audited).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { countQueries } from "@/test/support/queries";
import { bucketRequest, catalogIds, logInPeople, rejection, settle, type CatalogIds, type People } from "@/test/support/portal-fixtures";
import { productVersion } from "@/lib/queries/product-watch";
import type { User } from "@/generated/prisma/client";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let products: typeof import("@/lib/services/products");
let provisioning: typeof import("@/lib/services/provisioning");
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  backend = await startPortalBackend();
  products = await import("@/lib/services/products");
  provisioning = await import("@/lib/services/provisioning");
  db = (await import("@/lib/db")).db;
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

const as = (user: User) => ({ user, requestId: "test" });

/** The page's version and the poll's, side by side. */
async function versions(user: User, id: string) {
  const [view, watch] = await Promise.all([products.getProductView(user, id), products.watchProduct(user, id)]);
  return { page: productVersion(view), poll: productVersion(watch), watch };
}

describe("the product page's poll", () => {
  it("has the page's version at every step of a launch and a termination, and moves when the page would", async () => {
    const launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    const seen = new Set<string>();
    const atLaunch = await versions(people.alice, launched.id);
    expect(atLaunch.poll).toBe(atLaunch.page);
    seen.add(atLaunch.poll);

    await settle(launched.id);
    const available = await versions(people.alice, launched.id);
    expect(available.poll).toBe(available.page);
    expect(available.watch).toMatchObject({ id: launched.id, status: "AVAILABLE", transfer: null, records: [{ status: "SUCCEEDED" }] });
    expect(seen.has(available.poll)).toBe(false);
    seen.add(available.poll);

    // An administrator sees the same (the page's rule), and the product's whole life in order.
    await provisioning.terminateProduct(as(people.alice), launched.id, { confirmName: launched.name });
    const terminating = await versions(people.admin, launched.id);
    expect(terminating.poll).toBe(terminating.page);
    expect(seen.has(terminating.poll)).toBe(false);
    await settle(launched.id);
    const terminated = await versions(people.alice, launched.id);
    expect(terminated.poll).toBe(terminated.page);
    expect(terminated.watch.status).toBe("TERMINATED");
    expect(terminated.watch.records.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("costs one query, however long the product's history", async () => {
    const launched = await settle((await provisioning.launchProduct(as(people.alice), bucketRequest(ids))).id);
    await db.$executeRawUnsafe(`
      INSERT INTO provisioning_records (id, provisioned_product_id, record_id, record_type, status, request, created_at, updated_at)
      SELECT gen_random_uuid(), '${launched.id}', 'rec-hist' || lpad(j::text, 9, '0'), 'UPDATE_PROVISIONED_PRODUCT', 'SUCCEEDED', '{}', now() - (j || ' minutes')::interval, now()
      FROM generate_series(1, 200) AS j`);
    const { result: watch, queries } = await countQueries(() => products.watchProduct(people.alice, launched.id));
    expect(queries).toBe(1);
    expect(watch.records).toHaveLength(201);
    const { page, poll } = await versions(people.alice, launched.id);
    expect(poll).toBe(page);
  });

  it("the page itself is one query whatever the history, each record as stored; a transfer holding the product is shown", async () => {
    const launched = await settle((await provisioning.launchProduct(as(people.alice), bucketRequest(ids))).id);
    // 200 more records: asked by alice, by an admin or by nobody (a reconciliation), some failed
    // with AWS's errors, some still running; three share the same moment (the id breaks the tie).
    await db.$executeRawUnsafe(`
      INSERT INTO provisioning_records (id, provisioned_product_id, record_id, record_type, status, errors, request, requested_by_id, created_at, updated_at, completed_at)
      SELECT gen_random_uuid(), '${launched.id}', CASE WHEN j % 7 = 0 THEN NULL ELSE 'rec-view' || lpad(j::text, 9, '0') END, 'UPDATE_PROVISIONED_PRODUCT',
             CASE WHEN j % 5 = 0 THEN 'FAILED' WHEN j % 11 = 0 THEN 'IN_PROGRESS' ELSE 'SUCCEEDED' END,
             CASE WHEN j % 5 = 0 THEN jsonb_build_array(jsonb_build_object('code', 'E' || j, 'description', 'failed ' || j)) ELSE '[]'::jsonb END, '{}',
             CASE j % 3 WHEN 0 THEN '${people.alice.id}'::uuid WHEN 1 THEN '${people.admin.id}'::uuid ELSE NULL END,
             CASE WHEN j <= 3 THEN timestamp '2026-01-02 03:04:05.678' ELSE now() - (j || ' minutes')::interval - (j || ' milliseconds')::interval END, now(),
             CASE WHEN j % 11 = 0 THEN NULL ELSE now() - (j || ' seconds')::interval END
      FROM generate_series(1, 200) AS j`);
    const { result: view, queries } = await countQueries(() => products.getProductView(people.alice, launched.id));
    expect(queries).toBe(1);

    const row = await db.provisionedProduct.findUniqueOrThrow({
      where: { id: launched.id },
      include: { owner: true, records: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: { requestedBy: true } } },
    });
    expect(view).toMatchObject({
      id: row.id, name: row.name, productId: row.productId, versionId: row.provisioningArtifactId, status: "AVAILABLE", ownerEmail: "alice@example.org",
      awsProvisionedProductId: row.awsProvisionedProductId, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
      parameters: row.parameters, tags: row.tags, outputs: row.outputs, canChange: true, canTransfer: false, transfer: null,
    });
    expect(view.records).toHaveLength(201);
    expect(view.records).toEqual(
      row.records.map((r) => ({
        id: r.id, recordId: r.recordId, type: r.recordType, status: r.status, errors: r.errors, requestedBy: r.requestedBy?.email ?? null,
        createdAt: r.createdAt.toISOString(), completedAt: r.completedAt?.toISOString() ?? null,
      })),
    );
    expect(view.records.filter((r) => r.errors.length > 0)).toHaveLength(40);
    expect(new Set(view.records.map((r) => r.requestedBy))).toEqual(new Set(["alice@example.org", "admin@example.org", null]));

    // An administrator's transfer waiting for confirmation holds it: the page shows it.
    const transfer = await db.ownershipTransfer.create({
      data: { provisionedProductId: launched.id, fromUserId: people.alice.id, toUserId: people.bob.id, requestedById: people.admin.id, status: "NEEDS_CONFIRMATION", step: 2, progress: { replacements: ["Bucket"] } },
    });
    const held = await products.getProductView(people.admin, launched.id);
    expect(held).toMatchObject({ canChange: false, canTransfer: true });
    expect(held.transfer).toMatchObject({ id: transfer.id, status: "NEEDS_CONFIRMATION", step: 2, from: { email: "alice@example.org" }, to: { email: "bob@example.org" }, requestedBy: "admin@example.org", replacements: ["Bucket"] });
    const { page, poll } = await versions(people.admin, launched.id);
    expect(poll).toBe(page);
    await db.ownershipTransfer.update({ where: { id: transfer.id }, data: { status: "ROLLED_BACK" } });
    expect((await products.getProductView(people.alice, launched.id)).transfer).toBeNull();
  });

  it("tells anyone but the owner and administrators nothing, and audits the refusal", async () => {
    const launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    const refused = await rejection(products.watchProduct(people.bob, launched.id, "watch-test"));
    expect(refused.status).toBe(404);
    expect(refused.message).toBe("That product does not exist or is not yours.");
    expect(await db.auditEvent.count({ where: { targetId: launched.id, outcome: "DENIED", actorId: people.bob.id, requestId: "watch-test" } })).toBe(1);
    expect((await rejection(products.watchProduct(people.alice, "not-a-uuid"))).status).toBe(404);
    expect((await rejection(products.watchProduct(people.alice, "6f1c1d1e-0000-4000-8000-000000000000"))).status).toBe(404);
  });
});
