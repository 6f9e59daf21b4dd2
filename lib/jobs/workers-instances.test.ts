/**
 * Several portal instances share one database: two separate processes run the workers (their
 * own pg-boss connections and AWS sessions) while this one only launches. Every launch is
 * tracked to its end, by exactly one instance, and written once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { startInstance, stopInstance, type Instance } from "@/test/support/instances";
import { bucketRequest, catalogIds, logInPeople, waitFor, type People } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let instances: Instance[] = [];

beforeAll(async () => {
  backend = await startPortalBackend();
  people = await logInPeople();
  // Create pg-boss's schema once here, so the two instances do not both race to install it.
  const { boss } = await import("@/lib/jobs/boss");
  await boss();
  instances = [startInstance(), startInstance()];
  await Promise.all(instances.map((i) => i.ready));
}, 180_000);

afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  await backend?.close();
});

describe("workers in two portal instances on one database", () => {
  it("track every launch to AVAILABLE once: one instance per record, one audit event per outcome", async () => {
    const { db } = await import("@/lib/db");
    const { launchProduct } = await import("@/lib/services/provisioning");
    const ids = await catalogIds(people.alice);
    const launched = await Promise.all(
      Array.from({ length: 8 }, (_, i) => launchProduct({ user: i % 2 ? people.bob : people.alice }, bucketRequest(ids))),
    );

    await waitFor(
      "both instances to finish every launch",
      async () => (await db.provisionedProduct.count({ where: { id: { in: launched.map((p) => p.id) }, status: "AVAILABLE" } })) === launched.length,
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const records = await db.provisioningRecord.findMany({ where: { provisionedProductId: { in: launched.map((p) => p.id) } } });
    expect(records).toHaveLength(launched.length);
    expect(records.every((r) => r.status === "SUCCEEDED")).toBe(true);

    // Which instance finished which record, from their logs: each record exactly once.
    await waitFor("the instances' log lines", async () => instances.flatMap((i) => i.lines).filter((l) => l.msg === "record tracking done").length >= records.length);
    const doneBy = instances.map((i) => i.lines.filter((l) => l.msg === "record tracking done").map((l) => l.recordRowId as string));
    const all = doneBy.flat();
    expect(all.sort()).toEqual(records.map((r) => r.id).sort());
    expect(new Set(all).size).toBe(all.length);
    console.info(`records finished per instance: ${doneBy.map((d) => d.length).join(" / ")}`);

    const audits = await db.auditEvent.findMany({ where: { action: "record.provision_product.succeeded", targetId: { in: launched.map((p) => p.id) } } });
    expect(audits.map((a) => a.targetId).sort()).toEqual(launched.map((p) => p.id).sort());
  });
});

describe("two trackers looking at one record at the same moment", () => {
  it("write its outcome once", async () => {
    const { db } = await import("@/lib/db");
    const { launchProduct } = await import("@/lib/services/provisioning");
    const { trackRecord } = await import("@/lib/services/tracking");
    // Stop the instances so that only the two trackers below touch this record.
    await Promise.all(instances.map(stopInstance));
    const ids = await catalogIds(people.alice);
    const launched = await launchProduct({ user: people.alice }, bucketRequest(ids));
    const record = await db.provisioningRecord.findFirstOrThrow({ where: { provisionedProductId: launched.id } });
    await waitFor("AWS to finish the launch", async () => {
      const { control } = backend;
      const state = (await control("state")) as { records: { RecordId: string; Status: string }[] };
      return state.records.find((r) => r.RecordId === record.recordId)?.Status === "SUCCEEDED";
    });

    const results = await Promise.all([trackRecord(record.id), trackRecord(record.id), trackRecord(record.id)]);
    expect(results).toEqual(["final", "final", "final"]);
    expect((await db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } })).status).toBe("AVAILABLE");
    const audits = await db.auditEvent.findMany({ where: { targetId: launched.id, action: "record.provision_product.succeeded" } });
    expect(audits).toHaveLength(1);
  });
});
