/**
 * The background workers on pg-boss, as a portal instance runs them (JOBS_ENABLED): a launch and
 * a termination reach their final status with nobody calling trackRecord by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { bucketRequest, catalogIds, emulatorState, logInPeople, tagValue, waitFor, type People } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  backend = await startPortalBackend();
  process.env.JOBS_ENABLED = "true";
  db = (await import("@/lib/db")).db;
  people = await logInPeople();
  const { startWorkers } = await import("@/lib/workers");
  await startWorkers();
});

afterAll(async () => {
  await backend?.close();
});

async function statusOf(id: string) {
  return (await db.provisionedProduct.findUniqueOrThrow({ where: { id } })).status;
}

describe("record tracking by the pg-boss worker", () => {
  it("takes a launched bucket to AVAILABLE with its outputs, and a terminated one to TERMINATED", async () => {
    const { launchProduct, terminateProduct } = await import("@/lib/services/provisioning");
    const ids = await catalogIds(people.alice);
    const request = bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: ["arn:aws:iam::123456789012:user/collaborator"], RestrictSameRegionDownload: "true" } });
    const launched = await launchProduct({ user: people.alice }, request);
    expect(launched.status).toBe("UNDER_CHANGE");

    await waitFor("the worker to finish the launch", async () => (await statusOf(launched.id)) === "AVAILABLE", { timeoutMs: 20_000, intervalMs: 100 });
    const row = await db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id }, include: { records: true } });
    const outputs = Object.fromEntries((row.outputs as { key: string; value: string }[]).map((o) => [o.key, o.value]));
    expect(outputs.BucketName).toBeTruthy();
    expect(outputs.BucketUrl).toContain(outputs.BucketName);
    expect(row.records).toHaveLength(1);
    expect(row.records[0]).toMatchObject({ status: "SUCCEEDED", completedAt: expect.any(Date) });
    const bucket = (await emulatorState(backend)).resources.buckets.find((b) => b.name === outputs.BucketName);
    expect(tagValue(bucket!.tags, "OwnerEmail")).toBe("alice@example.org");
    expect(JSON.stringify(bucket!.policy)).toContain("arn:aws:iam::123456789012:user/collaborator");

    await terminateProduct({ user: people.alice }, launched.id, { confirmName: launched.name });
    await waitFor("the worker to finish the termination", async () => (await statusOf(launched.id)) === "TERMINATED", { timeoutMs: 20_000, intervalMs: 100 });
    // Its audit event follows the status change: wait for it too.
    await waitFor("the termination's audit event", () => db.auditEvent.findFirst({ where: { targetId: launched.id, action: "record.terminate_provisioned_product.succeeded" } }).then((e) => e ?? undefined));
    const actions = (await db.auditEvent.findMany({ where: { targetId: launched.id } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["product.launch", "record.provision_product.succeeded", "product.terminate"]));
    // The reconciliation job runs alongside; it must not take the portal's termination for drift.
    expect(actions).not.toContain("reconcile.terminated-outside");
    expect((await db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } })).statusMessage).toBeNull();
  });
});
