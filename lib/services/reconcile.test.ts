/**
 * Reconciliation against PostgreSQL and the local AWS emulator: launches whose ProvisionProduct
 * answer was lost, launches that never reached AWS, and products changed outside the portal.
 */
import { DescribeRecordCommand, ProvisionProductCommand, SearchProvisionedProductsCommand, TerminateProvisionedProductCommand, UpdateProvisionedProductCommand } from "@aws-sdk/client-service-catalog";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import {
  bucketRequest,
  callCount,
  catalogIds,
  emulatorState,
  logInPeople,
  recordRows,
  resetCalls,
  serviceCatalogAs,
  settle,
  waitFor,
  watchServiceCatalog,
  type CatalogIds,
  type People,
} from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let provisioning: typeof import("@/lib/services/provisioning");
let reconcile: typeof import("@/lib/services/reconcile").reconcile;
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  backend = await startPortalBackend();
  provisioning = await import("@/lib/services/provisioning");
  reconcile = (await import("@/lib/services/reconcile")).reconcile;
  db = (await import("@/lib/db")).db;
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

afterEach(async () => {
  await backend.control("faults", { method: "DELETE" });
});

const as = (user: People["alice"]) => ({ user, requestId: "test" });

/** One reconciliation, with the Service Catalog commands it sent (and the test's hooks on them). */
async function reconcileWatching(hooks?: Parameters<typeof watchServiceCatalog>[0]) {
  const watch = watchServiceCatalog(hooks);
  try {
    return { report: await reconcile(), watch };
  } finally {
    watch.restore();
  }
}

/**
 * A launch whose ProvisionProduct call never got an answer: AWS fails every attempt with HTTP 500
 * (so the portal cannot know whether it acted), and the row stays PENDING with no AWS ids.
 */
async function launchLostInTransit(request: ReturnType<typeof bucketRequest>) {
  await backend.control("faults", { method: "POST", body: JSON.stringify({ internalErrorNext: 20, operations: ["ProvisionProduct"] }) });
  await expect(provisioning.launchProduct(as(people.alice), request)).rejects.toMatchObject({ status: 502 });
  await backend.control("faults", { method: "DELETE" });
  const row = await db.provisionedProduct.findFirstOrThrow({ where: { name: request.name } });
  expect(row).toMatchObject({ status: "PENDING", awsProvisionedProductId: null, lastRecordId: null });
  return row;
}

/** Moves the row's creation back past reconciliation's grace period. */
async function age(rowId: string) {
  await db.provisionedProduct.update({ where: { id: rowId }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
}

describe("a launch interrupted between the AWS call and the database write", () => {
  it("is attached to the product AWS created with the row's token, and tracking reaches AVAILABLE", async () => {
    const request = bucketRequest(ids);
    const row = await launchLostInTransit(request);

    // The call did reach AWS after all: make it ourselves, as alice, with the row's token.
    const sc = await serviceCatalogAs(people.alice, backend);
    const made = await sc.send(
      new ProvisionProductCommand({
        ProductId: row.productId,
        ProvisioningArtifactId: row.provisioningArtifactId,
        ProvisionedProductName: row.name,
        ProvisionToken: row.provisionToken,
        // What the portal itself sends, the owner-bound OwnerPrincipalArn included.
        ProvisioningParameters: Object.entries(row.parameters as Record<string, string | string[]>).map(([Key, v]) => ({ Key, Value: Array.isArray(v) ? v.join(",") : v })),
        Tags: (row.tags as { key: string; value: string }[]).map((t) => ({ Key: t.key, Value: t.value })),
      }),
    );
    const awsId = made.RecordDetail!.ProvisionedProductId!;

    // What AWS holds under the row's token is the row's product: attached at once, even while the
    // original request could still be on its way (it writes only while the row has no AWS id).
    await resetCalls(backend);
    const report = await reconcile();
    expect(report.pendingAttached).toBe(1);
    expect(report.pendingResubmitted).toBe(0);
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
    const attached = await db.provisionedProduct.findUniqueOrThrow({ where: { id: row.id } });
    expect(attached.awsProvisionedProductId).toBe(awsId);
    const [record] = await recordRows(row.id);
    expect(record!.recordId).toBe(made.RecordDetail!.RecordId);

    const available = await settle(row.id);
    expect(available.status).toBe("AVAILABLE");
    expect((available.outputs as { key: string }[]).map((o) => o.key)).toContain("BucketName");
    expect((await emulatorState(backend)).provisionedProducts.filter((p) => p.Name === row.name)).toHaveLength(1);
  });

  it("re-sends a launch that never reached AWS, with the same token", async () => {
    const request = bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: ["arn:aws:iam::123456789012:role/Analyst"], RestrictSameRegionDownload: "false" } });
    const row = await launchLostInTransit(request);
    expect((await emulatorState(backend)).provisionedProducts.filter((p) => p.Name === row.name)).toHaveLength(0);

    // Too young to be sent again (its request could still be on its way): left for a run due when it is not.
    const early = await reconcile();
    expect(early).toMatchObject({ pendingResubmitted: 0, pendingWaiting: 1, nextPendingDueAt: new Date(row.createdAt.getTime() + 30_000) });

    await age(row.id);
    const { report, watch } = await reconcileWatching();
    expect(report.pendingResubmitted).toBe(1);
    const sent = watch.of("ProvisionProduct");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.input.ProvisionToken).toBe(row.provisionToken);
    // The user's original parameters, not the template's defaults.
    expect(sent[0]!.input.ProvisioningParameters).toEqual(
      expect.arrayContaining([
        { Key: "S3UserARNs", Value: "arn:aws:iam::123456789012:role/Analyst" },
        { Key: "RestrictSameRegionDownload", Value: "false" },
      ]),
    );

    const available = await settle(row.id);
    expect(available.status).toBe("AVAILABLE");
    const inAws = (await emulatorState(backend)).provisionedProducts.filter((p) => p.Name === row.name);
    expect(inAws).toHaveLength(1);
    expect(inAws[0]!.IdempotencyToken).toBe(row.provisionToken);
    expect(inAws[0]!.UserArn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org");

    // Running again changes nothing and launches nothing.
    await resetCalls(backend);
    const again = await reconcile();
    expect(again.pendingResubmitted + again.pendingAttached + again.markedTerminated).toBe(0);
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
  });

  it("does not attach someone else's product that merely has the same name", async () => {
    const request = bucketRequest(ids);
    const row = await launchLostInTransit(request);

    // bob, outside the portal, launches a product with that name (with his own token).
    const bobs = await serviceCatalogAs(people.bob, backend);
    const made = await bobs.send(
      new ProvisionProductCommand({
        ProductId: row.productId,
        ProvisioningArtifactId: row.provisioningArtifactId,
        ProvisionedProductName: row.name,
        ProvisionToken: `bobs-own-${Date.now()}`,
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/bob@example.org" }],
        Tags: [{ Key: "ManagedBy", Value: "Quartermaster" }],
      }),
    );

    await age(row.id);
    await reconcile();
    const after = await db.provisionedProduct.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.awsProvisionedProductId).not.toBe(made.RecordDetail!.ProvisionedProductId);
    // AWS refuses alice's launch (the name is taken), so her row ends in ERROR, not as bob's product.
    expect(after.status).toBe("ERROR");
    expect(after.statusMessage).toMatch(/already exists/);
  });
});

describe("running at the same time as the launch it repairs, or as another reconciliation", () => {
  it("attaches a launch whose answer is still on its way, and the late answer changes nothing", async () => {
    let report: Awaited<ReturnType<typeof reconcile>> | undefined;
    // Reconciliation (in another instance) runs after AWS accepted the launch and before the
    // portal wrote the answer down; tracking even finishes before the answer arrives.
    const watch = watchServiceCatalog({
      instead: (command, send) =>
        command.name === "ProvisionProduct"
          ? send().then(async (answer) => {
              report = await reconcile();
              const row = await db.provisionedProduct.findFirstOrThrow({ where: { provisionToken: command.input.ProvisionToken as string } });
              expect((await settle(row.id)).status).toBe("AVAILABLE");
              return answer;
            })
          : undefined,
    });
    let launched: Awaited<ReturnType<typeof provisioning.launchProduct>>;
    try {
      launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    } finally {
      watch.restore();
    }
    expect(report!.pendingAttached).toBe(1);
    // The answer, written late, does not take the product back to "under change" nor reopen its record.
    expect(launched.status).toBe("AVAILABLE");
    const row = await db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } });
    expect(row.status).toBe("AVAILABLE");
    const records = await recordRows(launched.id);
    expect(records.map((r) => r.status)).toEqual(["SUCCEEDED"]);
    const { trackRecord } = await import("@/lib/services/tracking");
    expect(await trackRecord(records[0]!.id)).toBe("final");
    expect(await db.auditEvent.count({ where: { targetId: launched.id, action: "record.provision_product.succeeded" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: launched.id, action: "product.launch", outcome: "SUCCESS" } })).toBe(1);
  });

  it("two reconciliations at once re-send a lost launch once, and record a termination outside the portal once", async () => {
    const lost = await launchLostInTransit(bucketRequest(ids));
    await age(lost.id);
    const gone = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    await settle(gone.id);
    const sc = await serviceCatalogAs(people.alice, backend);
    const terminated = await sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: gone.awsProvisionedProductId!, TerminateToken: `outside-${Date.now()}` }));
    await waitFor("the termination outside the portal", async () => (await sc.send(new DescribeRecordCommand({ Id: terminated.RecordDetail!.RecordId! }))).RecordDetail?.Status === "SUCCEEDED");

    const watch = watchServiceCatalog();
    let reports: Awaited<ReturnType<typeof reconcile>>[];
    try {
      reports = await Promise.all([reconcile(), reconcile()]);
    } finally {
      watch.restore();
    }
    expect(watch.of("ProvisionProduct")).toHaveLength(1);
    expect(reports.reduce((n, r) => n + r.pendingResubmitted, 0)).toBe(1);
    expect((await settle(lost.id)).status).toBe("AVAILABLE");
    expect(await db.auditEvent.count({ where: { targetId: lost.id, action: "product.launch", outcome: "SUCCESS" } })).toBe(1);
    expect(reports.reduce((n, r) => n + r.markedTerminated, 0)).toBe(1);
    expect(await db.auditEvent.count({ where: { targetId: gone.id, action: "reconcile.terminated-outside" } })).toBe(1);
  });
});

describe("running while the portal itself changes a product", () => {
  it("does not take a launch that completed during its scan for a product terminated outside the portal", async () => {
    let launched: Awaited<ReturnType<typeof provisioning.launchProduct>> | undefined;
    // The launch gets its answer from AWS while the scan is under way (after AWS listed its products).
    const { report, watch } = await reconcileWatching({
      instead: (command, send) =>
        command.name === "SearchProvisionedProducts" && !launched
          ? send().then(async (page) => {
              launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
              return page;
            })
          : undefined,
    });
    expect(report.markedTerminated).toBe(0);
    expect((await settle(launched!.id)).status).toBe("AVAILABLE");
    expect(await db.auditEvent.count({ where: { action: "reconcile.terminated-outside", targetId: launched!.id } })).toBe(0);
  });

  it("does not report the portal's own termination as one made outside the portal", async () => {
    const launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    await settle(launched.id);
    await provisioning.terminateProduct(as(people.alice), launched.id, { confirmName: launched.name });
    // AWS is done, but the portal has not looked at the record yet.
    await waitFor("AWS to forget the product", async () => !(await emulatorState(backend)).provisionedProducts.some((p) => p.Id === launched.awsProvisionedProductId));

    const report = await reconcile();
    expect(report.markedTerminated).toBe(0);
    const done = await settle(launched.id);
    expect(done.status).toBe("TERMINATED");
    expect(done.statusMessage).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "reconcile.terminated-outside", targetId: launched.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "record.terminate_provisioned_product.succeeded", targetId: launched.id } })).toBe(1);
  });

  it.each([
    ["an update", "update"],
    ["a termination", "terminate"],
  ] as const)("does not break %s whose answer from AWS is still on its way", async (_what, action) => {
    const launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    await settle(launched.id);
    const operation = action === "update" ? "UpdateProvisionedProduct" : "TerminateProvisionedProduct";
    let report: Awaited<ReturnType<typeof reconcile>> | undefined;
    // Reconciliation runs after AWS accepted the call and before the portal wrote the answer down.
    const watch = watchServiceCatalog({
      instead: (command, send) =>
        command.name === operation
          ? send().then(async (answer) => {
              report = await reconcile();
              return answer;
            })
          : undefined,
    });
    try {
      if (action === "update") {
        await provisioning.updateProduct(as(people.alice), launched.id, { provisioningArtifactId: launched.provisioningArtifactId, parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "false" } });
      } else {
        await provisioning.terminateProduct(as(people.alice), launched.id, { confirmName: launched.name });
      }
    } finally {
      watch.restore();
    }
    expect(report).toBeDefined();
    const records = await recordRows(launched.id);
    expect(records.map((r) => r.recordType)).toEqual(["PROVISION_PRODUCT", action === "update" ? "UPDATE_PROVISIONED_PRODUCT" : "TERMINATE_PROVISIONED_PRODUCT"]);
    const done = await settle(launched.id);
    expect(done.status).toBe(action === "update" ? "AVAILABLE" : "TERMINATED");
    expect(await db.auditEvent.count({ where: { action: `product.${action}`, targetId: launched.id, outcome: "FAILURE" } })).toBe(0);
  });
});

describe("drift", () => {
  it("marks a product terminated outside the portal as TERMINATED", async () => {
    const launched = await provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    await settle(launched.id);

    const sc = await serviceCatalogAs(people.alice, backend);
    const terminated = await sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: launched.awsProvisionedProductId!, TerminateToken: `outside-${Date.now()}` }));
    await waitFor("the termination outside the portal", async () => {
      const record = await sc.send(new DescribeRecordCommand({ Id: terminated.RecordDetail!.RecordId! }));
      return record.RecordDetail?.Status === "SUCCEEDED";
    });

    const report = await reconcile();
    expect(report.markedTerminated).toBeGreaterThanOrEqual(1);
    const row = await db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } });
    expect(row.status).toBe("TERMINATED");
    expect(row.terminatedAt).toBeInstanceOf(Date);
    const audit = await db.auditEvent.findFirst({ where: { action: "reconcile.terminated-outside", targetId: launched.id } });
    expect(audit).not.toBeNull();
  });
});

describe("a change made outside the portal", () => {
  it("is adopted: the row follows AWS's latest record, which is tracked to its end", async () => {
    const launched = await settle((await provisioning.launchProduct(as(people.alice), bucketRequest(ids))).id);
    const sc = await serviceCatalogAs(people.alice, backend);
    const updated = await sc.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductId: launched.awsProvisionedProductId!,
        ProductId: launched.productId,
        ProvisioningArtifactId: launched.provisioningArtifactId,
        ProvisioningParameters: Object.entries(launched.parameters as Record<string, string | string[]>).map(([Key, v]) => ({ Key, Value: Array.isArray(v) ? v.join(",") : v })),
        UpdateToken: `outside-${Date.now()}`,
      }),
    );
    const recordId = updated.RecordDetail!.RecordId!;
    await waitFor("the update outside the portal", async () => (await sc.send(new DescribeRecordCommand({ Id: recordId }))).RecordDetail?.Status === "SUCCEEDED");

    const { report, watch } = await reconcileWatching();
    expect(report.statusRepaired).toBeGreaterThanOrEqual(1);
    // The list's word was checked with AWS before the row changed.
    expect(watch.of("DescribeProvisionedProduct").map((c) => c.input.Id)).toContain(launched.awsProvisionedProductId);
    const adopted = await db.provisioningRecord.findUniqueOrThrow({ where: { recordId } });
    expect(adopted).toMatchObject({ provisionedProductId: launched.id, recordType: "UPDATE_PROVISIONED_PRODUCT", request: { source: "outside the portal" } });
    expect(await settle(launched.id)).toMatchObject({ status: "AVAILABLE", lastRecordId: recordId });
    expect((await db.provisioningRecord.findUniqueOrThrow({ where: { recordId } })).status).toBe("SUCCEEDED");
  });
});

describe("reading the account", () => {
  it("lists it 100 products a page, and asks AWS about a product before acting on a list that lags behind it", async () => {
    // One of alice's products, and 110 of bob's made outside the portal: the account's list takes two pages.
    const launched = await settle((await provisioning.launchProduct(as(people.alice), bucketRequest(ids))).id);
    const bobs = await serviceCatalogAs(people.bob, backend);
    const stamp = Date.now();
    for (let i = 0; i < 110; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          bobs.send(
            new ProvisionProductCommand({
              ProductId: launched.productId,
              ProvisioningArtifactId: launched.provisioningArtifactId,
              ProvisionedProductName: `bobs-${stamp}-${i + j}`,
              ProvisionToken: `bobs-${stamp}-${i + j}`,
              ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/bob@example.org" }],
            }),
          ),
        ),
      );
    }
    await waitFor("bob's products", async () => (await emulatorState(backend)).provisionedProducts.filter((p) => p.Name.startsWith(`bobs-${stamp}-`) && p.Status === "AVAILABLE").length === 110);
    // Whatever earlier tests left to repair is repaired now, so the run below starts from agreement.
    await reconcile();

    // AWS's search index stops catching up (the emulator's searchLagMs): a product launched
    // from now on is missing from the list, and one updated from now on shows its earlier record.
    await backend.control("faults", { method: "POST", body: JSON.stringify({ searchLagMs: 600_000 }) });
    await bobs.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "self" } }));
    const lagging = await settle((await provisioning.launchProduct(as(people.alice), bucketRequest(ids))).id);
    await provisioning.updateProduct(as(people.alice), launched.id, { provisioningArtifactId: launched.provisioningArtifactId, parameters: { RestrictSameRegionDownload: "false" } });
    const stale = await settle(launched.id);
    expect(stale.lastRecordId).not.toBe(launched.lastRecordId);
    const inAccount = (await emulatorState(backend)).provisionedProducts.length;
    expect(inAccount).toBeGreaterThan(101);
    const recordsBefore = await db.provisioningRecord.count({ where: { provisionedProductId: { in: [lagging.id, stale.id] } } });

    const { report, watch } = await reconcileWatching();
    const pages = watch.of("SearchProvisionedProducts");
    expect(pages).toHaveLength(Math.ceil((inAccount - 1) / 100));
    expect(pages.map((p) => p.input)).toEqual(pages.map(() => expect.objectContaining({ AccessLevelFilter: { Key: "Account", Value: "self" }, PageSize: 100 })));
    expect(watch.of("ScanProvisionedProducts")).toHaveLength(0);
    // Only the two the list was wrong about were asked about, and nothing was changed on its word.
    expect(watch.of("DescribeProvisionedProduct").map((c) => c.input.Id).sort()).toEqual([lagging.awsProvisionedProductId, stale.awsProvisionedProductId].sort());
    expect(report).toMatchObject({ markedTerminated: 0, statusRepaired: 0 });
    for (const product of [lagging, stale]) {
      expect(await db.provisionedProduct.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ status: "AVAILABLE", lastRecordId: product.lastRecordId });
    }
    expect(await db.provisioningRecord.count({ where: { provisionedProductId: { in: [lagging.id, stale.id] } } })).toBe(recordsBefore);
    expect(await db.auditEvent.count({ where: { action: "reconcile.terminated-outside", targetId: { in: [lagging.id, stale.id] } } })).toBe(0);
  });
});
