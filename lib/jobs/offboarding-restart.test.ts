/**
 * Offboarding 25 products while the portal instance carrying the transfers is killed in the
 * middle (right after AWS answered one of the updates, before the database learned its record
 * id), then a new instance is started: every transfer finishes, each product moves once, and AWS
 * sees exactly one owner change and one update per product. Real child processes on one database
 * and one emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { startInstance, stopInstance, type Instance } from "@/test/support/instances";
import { bucketRequest, catalogIds, emulatorState, logInPeople, settle, waitFor, type CatalogIds, type People } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let db: typeof import("@/lib/db").db;
const instances: Instance[] = [];
const PRODUCTS = 25;

beforeAll(async () => {
  backend = await startPortalBackend({ provisionMs: 150, updateMs: 150, terminateMs: 100 });
  db = (await import("@/lib/db")).db;
  people = await logInPeople();
  ids = await catalogIds(people.alice);
  const { boss } = await import("@/lib/jobs/boss");
  await boss();
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.splice(0).map(stopInstance));
  await backend?.close();
});

describe("offboarding 25 products with a restart in the middle", () => {
  it("moves every product to bob exactly once", async () => {
    const { provisioning, offboarding } = { provisioning: await import("@/lib/services/provisioning"), offboarding: await import("@/lib/services/offboarding") };
    const launched = [];
    for (let i = 0; i < PRODUCTS; i++) launched.push(await provisioning.launchProduct({ user: people.alice }, bucketRequest(ids)));
    for (const product of launched) await settle(product.id);

    // This instance dies right after AWS answers the 8th update of the offboarding.
    const first = startInstance({ args: ["--kill-after", "UpdateProvisionedProduct=8"] });
    instances.push(first);
    await first.ready;
    const started = await offboarding.startOffboarding({ user: people.admin }, people.alice.id, people.bob.id);
    expect(started.transfers).toHaveLength(PRODUCTS);
    expect(started.skipped).toEqual([]);
    expect(await first.exited).toBe("SIGKILL");
    const when = await db.ownershipTransfer.groupBy({ by: ["status"], where: { offboardingId: started.id }, _count: true });
    expect(when.find((g) => g.status === "SUCCEEDED")?._count ?? 0).toBeLessThan(PRODUCTS);

    const second = startInstance();
    instances.push(second);
    await second.ready;
    const done = await waitFor(
      "every transfer to finish after the restart",
      async () => {
        const view = await offboarding.getOffboarding({ user: people.admin }, started.id);
        return view.done ? view : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(done.summary).toEqual({ moved: PRODUCTS, inProgress: 0, needsAttention: 0, skipped: 0 });

    const rows = await db.provisionedProduct.findMany({ where: { id: { in: launched.map((p) => p.id) } } });
    expect(rows.filter((r) => r.ownerId !== people.bob.id || r.status !== "AVAILABLE").map((r) => ({ name: r.name, status: r.status, owner: r.ownerId === people.bob.id ? "bob" : "alice", message: r.statusMessage }))).toEqual([]);
    const state = await emulatorState(backend);
    for (const row of rows) {
      const inAws = state.provisionedProducts.find((p) => p.Id === row.awsProvisionedProductId)!;
      expect(inAws.UserArn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/bob@example.org");
      const records = state.records.filter((r) => r.ProvisionedProductId === row.awsProvisionedProductId);
      expect(records.filter((r) => r.RecordType === "UPDATE_PROVISIONED_PRODUCT_PROPERTIES"), row.name).toHaveLength(1);
      expect(records.filter((r) => r.RecordType === "UPDATE_PROVISIONED_PRODUCT"), row.name).toHaveLength(1);
    }
    expect(await db.auditEvent.count({ where: { action: "product.transfer", outcome: "SUCCESS", targetId: { in: launched.map((p) => p.id) } } })).toBe(PRODUCTS);
  }, 240_000);
});
