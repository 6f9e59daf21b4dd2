/**
 * Tracking a record as people meet it: while AWS works, a look that sees nothing new writes
 * nothing (My products' poll would otherwise see a change every look and refetch its list), and
 * the look that sees the end writes it once. Against PostgreSQL and the emulator over HTTP, with
 * a launch that takes 2.5 s.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { bucketRequest, catalogIds, logInPeople, recordRows, type CatalogIds, type People } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;

beforeAll(async () => {
  backend = await startPortalBackend({ provisionMs: 2500, updateMs: 2500, terminateMs: 100 });
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

it("a look at a launch still under way writes nothing; the look that sees it end writes it", async () => {
  const { launchProduct } = await import("@/lib/services/provisioning");
  const { trackRecord } = await import("@/lib/services/tracking");
  const { myProductChanges } = await import("@/lib/services/products");
  const { db } = await import("@/lib/db");
  const launched = await launchProduct({ user: people.alice, requestId: "test" }, bucketRequest(ids));
  const [record] = await recordRows(launched.id);
  const rowOf = () => db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } });
  const recordOf = () => db.provisioningRecord.findUniqueOrThrow({ where: { id: record!.id } });

  // Look every 100 ms until AWS says it ended. A look that finds the record as the last one left
  // it (CREATED or IN_PROGRESS, the same) must leave the product row, the record row and the
  // summary My products polls exactly as they were.
  const first = { product: await rowOf(), changes: await myProductChanges(people.alice) };
  let previous = { product: first.product, record: await recordOf(), changes: first.changes };
  let quietLooks = 0;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await trackRecord(record!.id);
    const now = { product: await rowOf(), record: await recordOf(), changes: await myProductChanges(people.alice) };
    if (result === "final") {
      expect(now.product.status).toBe("AVAILABLE");
      expect(now.product.updatedAt.getTime()).toBeGreaterThan(previous.product.updatedAt.getTime());
      expect(now.changes.version).not.toBe(previous.changes.version);
      break;
    }
    expect(result).toBe("in-progress");
    expect(now.product.status).toBe("UNDER_CHANGE");
    if (now.record.status === previous.record.status) {
      quietLooks++;
      expect(now.product.updatedAt).toEqual(previous.product.updatedAt);
      expect(now.record.updatedAt).toEqual(previous.record.updatedAt);
      expect(now.changes).toEqual(previous.changes);
    }
    previous = now;
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(quietLooks).toBeGreaterThanOrEqual(3);
});

it("a look AWS throttles or fails is one call and says 'still in progress' at once; the next look sees the end", async () => {
  const { launchProduct } = await import("@/lib/services/provisioning");
  const { trackRecord } = await import("@/lib/services/tracking");
  const { callCount, resetCalls } = await import("@/test/support/portal-fixtures");
  const launched = await launchProduct({ user: people.alice, requestId: "test" }, bucketRequest(ids));
  const [record] = await recordRows(launched.id);
  await new Promise((resolve) => setTimeout(resolve, 2600)); // AWS has finished by now

  for (const fault of [{ throttleNext: 1 }, { internalErrorNext: 1 }]) {
    await resetCalls(backend);
    await backend.control("faults", { method: "POST", body: JSON.stringify({ operations: ["DescribeRecord"], ...fault }) });
    const started = performance.now();
    // The SDK's own retries would have asked again (up to five times, waiting between them).
    expect(await trackRecord(record!.id), JSON.stringify(fault)).toBe("in-progress");
    expect(await callCount(backend, "servicecatalog:DescribeRecord")).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
  }
  await backend.control("faults", { method: "DELETE" });
  expect(await trackRecord(record!.id)).toBe("final");
});
