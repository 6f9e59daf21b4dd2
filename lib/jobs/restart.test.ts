/**
 * A portal process killed (SIGKILL) at the worst moments, then started again: launches whose
 * ProvisionProduct answer arrived but was never written down, launches that never left, and
 * tracking jobs cut off mid-way. Real child processes (test/support/worker-instance.ts) on one
 * database and one emulator; the periodic reconciliation is set to an hour, so that whatever
 * repairs things after the restart is not it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { startInstance, stopInstance, type Instance } from "@/test/support/instances";
import { bucketRequest, catalogIds, emulatorState, logInPeople, waitFor, type CatalogIds, type People } from "@/test/support/portal-fixtures";
import type { User } from "@/generated/prisma/client";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let db: typeof import("@/lib/db").db;
const instances: Instance[] = [];

beforeAll(async () => {
  backend = await startPortalBackend({ provisionMs: 300, updateMs: 150, terminateMs: 100 });
  db = (await import("@/lib/db")).db;
  people = await logInPeople();
  ids = await catalogIds(people.alice);
  // pg-boss's schema, created once here rather than raced for by the instances.
  const { boss } = await import("@/lib/jobs/boss");
  await boss();
}, 120_000);

afterEach(async () => {
  await Promise.all(instances.splice(0).map(stopInstance));
  await backend.control("faults", { method: "DELETE" });
});

afterAll(async () => {
  await backend?.close();
});

function instance(args: string[] = []): Instance {
  const started = startInstance({ args });
  instances.push(started);
  return started;
}

const sessionArn = (user: User) => `arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/${user.email}`;

async function rowsNamed(names: string[]) {
  return db.provisionedProduct.findMany({ where: { name: { in: names } }, include: { owner: true, records: true } });
}

async function awsProductsNamed(names: string[]) {
  return (await emulatorState(backend)).provisionedProducts.filter((p) => names.includes(p.Name));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe("the portal killed right after ProvisionProduct answered, before the database learned the record id", () => {
  it("adopts the product under the person who launched it within 30 s of the restart", async () => {
    const killed = instance(["--kill-after", "ProvisionProduct=1"]);
    await killed.ready;
    const request = bucketRequest(ids);
    killed.command({ launch: { userId: people.bob.id, request } });
    expect(await killed.exited).toBe("SIGKILL");

    // What the restart finds: AWS has the product, the row knows nothing of it.
    const [before] = await rowsNamed([request.name]);
    expect(before).toMatchObject({ status: "PENDING", awsProvisionedProductId: null, ownerId: people.bob.id });
    const [inAws] = await awsProductsNamed([request.name]);
    expect(inAws?.UserArn).toBe(sessionArn(people.bob));

    const restarted = instance();
    const adopted = await waitFor(
      "the restarted portal to adopt the product",
      async () => {
        const [row] = await rowsNamed([request.name]);
        return row?.status === "AVAILABLE" ? row : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const tookMs = Date.now() - restarted.startedAt;
    console.info(`adopted ${seconds(tookMs)} after the restart`);
    expect(tookMs).toBeLessThan(30_000);

    expect(adopted.awsProvisionedProductId).toBe(inAws!.Id);
    expect(adopted.ownerId).toBe(people.bob.id);
    expect(adopted.records).toHaveLength(1);
    await waitFor("tracking to record the outcome", async () => (await db.provisioningRecord.findFirst({ where: { provisionedProductId: adopted.id, status: "SUCCEEDED" } })) ?? undefined);
    const [record] = await db.provisioningRecord.findMany({ where: { provisionedProductId: adopted.id } });
    expect(record).toMatchObject({ recordId: inAws!.LastRecordId, status: "SUCCEEDED" });
    expect(await awsProductsNamed([request.name])).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { targetId: adopted.id, action: "record.provision_product.succeeded" } })).toBe(1);
  }, 60_000);

  it("with 12 launches in flight: after the restart every one settles, none lost, none twice, long before the periodic reconciliation", async () => {
    // AWS takes its time to answer, so that all launches are in flight together; the 10th and
    // later requests never leave the dying process; it dies when the 4th answer arrives.
    await backend.control("faults", { method: "POST", body: JSON.stringify({ latencyMs: 400, operations: ["ProvisionProduct"] }) });
    const killed = instance(["--kill-after", "ProvisionProduct=4", "--hold", "ProvisionProduct=10"]);
    await killed.ready;
    const launches = Array.from({ length: 12 }, (_, i) => ({ user: i % 2 ? people.bob : people.alice, request: bucketRequest(ids) }));
    const names = launches.map((l) => l.request.name);
    for (const { user, request } of launches) killed.command({ launch: { userId: user.id, request } });
    expect(await killed.exited).toBe("SIGKILL");
    await backend.control("faults", { method: "DELETE" });

    const atKill = await rowsNamed(names);
    expect(atKill).toHaveLength(12);
    // Whatever the emulator was still working on when the process died, it finishes.
    await waitFor("AWS to finish what it received", async () => (await awsProductsNamed(names)).every((p) => p.Status === "AVAILABLE"));
    const inAws = await awsProductsNamed(names);
    const count = (status: string) => atKill.filter((r) => r.status === status).length;
    console.info(
      `at the kill: ${count("PENDING")} rows PENDING (${atKill.filter((r) => r.status === "PENDING" && inAws.some((p) => p.Name === r.name)).length} of them in AWS), ` +
        `${count("UNDER_CHANGE")} UNDER_CHANGE; AWS has ${inAws.length} of the 12`,
    );
    expect(inAws.length).toBeGreaterThanOrEqual(4);
    expect(inAws.length).toBeLessThan(12);

    // The restart comes 18 s after the kill: the launches that never left are not yet old enough to
    // be sent again when it starts (another instance could still be sending them), soon after.
    await db.provisionedProduct.updateMany({ where: { name: { in: names } }, data: { createdAt: new Date(Date.now() - 18_000) } });
    const restarted = instance();
    const inAwsNames = new Set(inAws.map((p) => p.Name));
    await waitFor(
      "the products AWS had to be adopted",
      async () => (await rowsNamed([...inAwsNames])).every((r) => r.status === "AVAILABLE" && r.records.every((rec) => rec.status === "SUCCEEDED")),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const adoptedMs = Date.now() - restarted.startedAt;
    await waitFor("every launch to settle", async () => (await rowsNamed(names)).every((r) => r.status === "AVAILABLE" && r.records.every((rec) => rec.status === "SUCCEEDED")), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const settledMs = Date.now() - restarted.startedAt;
    console.info(`after the restart: the ${inAwsNames.size} products AWS had adopted in ${seconds(adoptedMs)}, all 12 settled in ${seconds(settledMs)}`);
    expect(adoptedMs).toBeLessThan(30_000);
    expect(settledMs).toBeLessThan(30_000);
    // The launches that never left were sent again by the restarted instance: by the reconciliation
    // it scheduled for when they became old enough (or, on a slow start, by its first one).
    const reports = restarted.lines.filter((l) => l.msg === "reconciliation done").map((l) => l.report as { pendingAttached: number; pendingResubmitted: number; pendingWaiting: number });
    expect(reports.reduce((n, r) => n + r.pendingResubmitted, 0)).toBe(12 - inAws.length);
    console.info(`reconciliations after the restart (attached / waiting / re-sent): ${reports.map((r) => `${r.pendingAttached}/${r.pendingWaiting}/${r.pendingResubmitted}`).join(", ")}`);

    // 0 lost, 0 duplicate: one row and one product in AWS per launch, owned by who launched it.
    const rows = await rowsNamed(names);
    const products = await awsProductsNamed(names);
    expect(rows).toHaveLength(12);
    expect(products).toHaveLength(12);
    expect(new Set(products.map((p) => p.Name)).size).toBe(12);
    for (const { user, request } of launches) {
      const row = rows.find((r) => r.name === request.name)!;
      const product = products.find((p) => p.Name === request.name)!;
      expect(row.ownerId).toBe(user.id);
      expect(row.awsProvisionedProductId).toBe(product.Id);
      expect(product.UserArn).toBe(sessionArn(user));
      expect(product.IdempotencyToken).toBe(row.provisionToken);
      expect(row.records.map((r) => r.status)).toEqual(["SUCCEEDED"]);
    }
    const outcomes = await db.auditEvent.findMany({ where: { targetId: { in: rows.map((r) => r.id) }, action: "record.provision_product.succeeded" } });
    expect(outcomes.map((a) => a.targetId).sort()).toEqual(rows.map((r) => r.id).sort());
  }, 90_000);
});

describe("a tracking job cut off by the portal's death", () => {
  /** Launches a bucket from this process; the instance's tracker dies in its first DescribeRecord. */
  async function trackerKilledMidway(user: User) {
    const killed = instance(["--kill-before", "DescribeRecord=1"]);
    await killed.ready;
    const { launchProduct } = await import("@/lib/services/provisioning");
    const launched = await launchProduct({ user }, bucketRequest(ids));
    expect(await killed.exited).toBe("SIGKILL");
    const [record] = await db.provisioningRecord.findMany({ where: { provisionedProductId: launched.id } });
    // The dead process's job is left "active" in the queue, and nothing else is queued for the record.
    const active = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'track-record' AND state = 'active' AND singleton_key = ${record!.id}`;
    expect(Number(active[0]!.n)).toBe(1);
    const queued = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'track-record' AND state < 'active' AND singleton_key = ${record!.id}`;
    expect(Number(queued[0]!.n)).toBe(0);
    return { launched, record: record! };
  }

  const statusOf = async (id: string) => (await db.provisionedProduct.findUniqueOrThrow({ where: { id } })).status;

  it("is resumed at once after the restart, not after the queue's expiry, and holds up no other record", async () => {
    const { launched } = await trackerKilledMidway(people.alice);
    const restarted = instance();
    await restarted.ready;
    // bob launches after the restart: his record must not wait behind the one left running.
    const { launchProduct } = await import("@/lib/services/provisioning");
    const other = await launchProduct({ user: people.bob }, bucketRequest(ids));
    await waitFor("both records to be tracked to the end", async () => (await statusOf(launched.id)) === "AVAILABLE" && (await statusOf(other.id)) === "AVAILABLE", {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    console.info(`the cut-off record and a new one tracked to the end ${seconds(Date.now() - restarted.startedAt)} after the restart`);
    expect(await db.auditEvent.count({ where: { targetId: { in: [launched.id, other.id] }, action: "record.provision_product.succeeded" } })).toBe(2);
  }, 60_000);
});
