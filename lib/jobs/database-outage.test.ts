/**
 * PostgreSQL stops for 10 s while the background jobs follow launches, an update and a
 * termination in AWS, then comes back on the same port with the same data. The jobs resume: every
 * record reaches its final status, none is lost and none written twice. The portal instance that
 * runs the jobs (a real child process) does not crash, and logs no secret meanwhile; a request
 * made during the outage fails cleanly.
 *
 * This file has a PostgreSQL server of its own, since it stops it.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedTestPostgres, type PausableEmbeddedServer } from "@/test/support/embedded-postgres";
import { startPortalBackend, EMULATOR_KEYS, type PortalBackend } from "@/test/support/portal-backend";
import { startInstance, stopInstance, type Instance } from "@/test/support/instances";
import { bucketRequest, catalogIds, emulatorState, logInPeople, sleep, waitFor, type CatalogIds, type People } from "@/test/support/portal-fixtures";

const OUTAGE_MS = 10_000;
const AWS_WORK_MS = 3000;

let postgres: PausableEmbeddedServer;
let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let worker: Instance | undefined;
let paused = false;
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  postgres = await startEmbeddedTestPostgres({ pausable: true, password: randomBytes(12).toString("hex") });
  // AWS works on each record for 3 s, so that they are all in progress when the database stops.
  backend = await startPortalBackend({ provisionMs: AWS_WORK_MS, updateMs: AWS_WORK_MS, terminateMs: AWS_WORK_MS }, { databaseServerUrl: postgres.url });
  db = (await import("@/lib/db")).db;
  people = await logInPeople();
  ids = await catalogIds(people.alice);
  const { boss } = await import("@/lib/jobs/boss");
  await boss();
}, 120_000);

afterAll(async () => {
  if (paused) await postgres.resume();
  if (worker) await stopInstance(worker);
  await backend?.close();
  await postgres?.stop();
});

const statusOf = async (id: string) => (await db.provisionedProduct.findUniqueOrThrow({ where: { id } })).status;

describe("PostgreSQL stopped for 10 s while jobs run", () => {
  it("the jobs resume when it is back: every record ends, none lost, none done twice", async () => {
    const { launchProduct, updateProduct, terminateProduct } = await import("@/lib/services/provisioning");
    worker = startInstance();
    await worker.ready;

    // Two products to change, ready before the outage.
    const toUpdate = bucketRequest(ids);
    const toTerminate = bucketRequest(ids);
    const [updated, terminated] = await Promise.all([launchProduct({ user: people.alice }, toUpdate), launchProduct({ user: people.bob }, toTerminate)]);
    await waitFor("the two products to be available", async () => (await statusOf(updated.id)) === "AVAILABLE" && (await statusOf(terminated.id)) === "AVAILABLE", { timeoutMs: 20_000, intervalMs: 200 });

    // Four launches, an update and a termination in progress in AWS…
    const launched = await Promise.all(Array.from({ length: 4 }, (_, i) => launchProduct({ user: i % 2 ? people.bob : people.alice }, bucketRequest(ids))));
    await updateProduct({ user: people.alice }, updated.id, { provisioningArtifactId: toUpdate.provisioningArtifactId, parameters: { ...toUpdate.parameters, RestrictSameRegionDownload: "false" } });
    await terminateProduct({ user: people.bob }, terminated.id, { confirmName: toTerminate.name });
    const products = [...launched.map((p) => p.id), updated.id, terminated.id];
    // …and being tracked when the database stops: AWS answers DescribeRecord slowly, and the
    // database stops while a tracking job waits for that answer (between its reads and its writes).
    await backend.control("faults", { method: "POST", body: JSON.stringify({ latencyMs: 1000, operations: ["DescribeRecord"] }) });
    await waitFor(
      "a tracking job to be running",
      async () => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'track-record' AND state = 'active'`)[0]!.n) > 0,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    await postgres.pause();
    paused = true;
    const stoppedAt = Date.now();

    // Meanwhile a person launches: the request fails, cleanly and quickly.
    const { handleApiError } = await import("@/lib/api/handle-error");
    const { logger } = await import("@/lib/logger");
    const attemptStarted = Date.now();
    const error = await launchProduct({ user: people.alice }, bucketRequest(ids)).then(
      () => undefined,
      (e: unknown) => e,
    );
    const attemptMs = Date.now() - attemptStarted;
    expect(error).toBeDefined();
    const answer = handleApiError(error, logger, "req-outage");
    const body = (await answer.json()) as { error: { message: string } };
    console.info(`a launch during the outage: HTTP ${answer.status} after ${attemptMs} ms: "${body.error.message}"`);
    expect(answer.status).toBe(503);
    expect(body.error.message).toMatch(/database/i);
    expect(attemptMs).toBeLessThan(5000);

    await sleep(OUTAGE_MS - (Date.now() - stoppedAt));
    // AWS finished everything while the database was away.
    const state = await emulatorState(backend);
    expect(state.records.filter((r) => r.Status === "IN_PROGRESS" || r.Status === "CREATED")).toHaveLength(0);
    await postgres.resume();
    paused = false;
    await backend.control("faults", { method: "DELETE" });
    const resumedAt = Date.now();
    console.info(`PostgreSQL was down for ${((resumedAt - stoppedAt) / 1000).toFixed(1)} s`);

    await waitFor(
      "every record to reach its final status",
      async () => (await db.provisioningRecord.count({ where: { provisionedProductId: { in: products }, status: { notIn: ["SUCCEEDED", "FAILED"] } } })) === 0,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    console.info(`every record final ${((Date.now() - resumedAt) / 1000).toFixed(1)} s after PostgreSQL came back`);

    for (const p of launched) expect(await statusOf(p.id)).toBe("AVAILABLE");
    const afterUpdate = await db.provisionedProduct.findUniqueOrThrow({ where: { id: updated.id } });
    expect(afterUpdate.status).toBe("AVAILABLE");
    expect((afterUpdate.parameters as Record<string, string>).RestrictSameRegionDownload).toBe("false");
    expect(await statusOf(terminated.id)).toBe("TERMINATED");
    // One outcome per record, written once.
    const records = await db.provisioningRecord.findMany({ where: { provisionedProductId: { in: products } } });
    expect(records.every((r) => r.status === "SUCCEEDED")).toBe(true);
    const outcomes = await db.auditEvent.findMany({ where: { targetId: { in: products }, action: { startsWith: "record." } } });
    const perRecord = outcomes.map((a) => (a.details as { recordId: string }).recordId).sort();
    expect(perRecord).toEqual(records.map((r) => r.recordId!).sort());

    // The instance lived through it, and its logs hold no secret.
    expect(worker.process.exitCode).toBeNull();
    expect(worker.process.signalCode).toBeNull();
    const output = worker.output();
    expect(output).not.toContain(postgres.password);
    expect(output).not.toContain(EMULATOR_KEYS.secretAccessKey);
    const complaints = worker.lines.filter((l) => (l.level as number) >= 40);
    console.info(`the instance logged ${complaints.length} warnings or errors meanwhile: ${[...new Set(complaints.map((l) => l.msg))].join(" | ")}`);
  }, 90_000);
});
