/**
 * What the product page polls while AWS works (GET /api/products/[id]/changes), against PostgreSQL
 * and the emulator over HTTP: through a launch and a termination its version is the page's own
 * (so the page refreshes exactly when what it shows changed), it costs one query whatever the
 * product's history, and it is the product page's rule for who may ask: the owner and
 * administrators; anyone else learns nothing (404, the refusal audited).
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
