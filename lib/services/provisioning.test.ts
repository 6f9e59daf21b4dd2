/**
 * Launch, update and terminate through the portal's services, against PostgreSQL and the local
 * AWS emulator (real AWS SDK calls over HTTP, as the user's assumed-role session).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import {
  bucketRequest,
  callCount,
  catalogIds,
  emulatorState,
  instanceRequest,
  logInPeople,
  recordRows,
  reload,
  resetCalls,
  settle,
  tagValue,
  watchServiceCatalog,
  rejection,
  type CatalogIds,
  type People,
} from "@/test/support/portal-fixtures";
import type { ValidationError } from "@/lib/errors";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let services: {
  provisioning: typeof import("@/lib/services/provisioning");
  products: typeof import("@/lib/services/products");
  catalog: typeof import("@/lib/services/catalog");
  db: typeof import("@/lib/db").db;
};

const SHARED_ARN = "arn:aws:iam::123456789012:role/Analyst";

beforeAll(async () => {
  backend = await startPortalBackend();
  services = {
    provisioning: await import("@/lib/services/provisioning"),
    products: await import("@/lib/services/products"),
    catalog: await import("@/lib/services/catalog"),
    db: (await import("@/lib/db")).db,
  };
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

const as = (user: People["alice"]) => ({ user, requestId: "test" });

describe("launching an encrypted bucket", () => {
  let watch: ReturnType<typeof watchServiceCatalog> | undefined;
  afterEach(() => watch?.restore());

  it("writes the row first, calls AWS as alice with the reserved tags, and tracking reaches AVAILABLE with outputs", async () => {
    const { alice } = people;
    const request = bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: [SHARED_ARN], RestrictSameRegionDownload: "true" }, tags: [{ key: "CostCentre", value: "cc-42" }] });
    let rowWhenAwsWasCalled: unknown = "not called";
    watch = watchServiceCatalog({
      before: async (command) => {
        if (command.name === "ProvisionProduct") rowWhenAwsWasCalled = await services.db.provisionedProduct.findFirst({ where: { name: request.name } });
      },
    });

    const launched = await services.provisioning.launchProduct(as(alice), request);

    expect(rowWhenAwsWasCalled).toMatchObject({ status: "PENDING", awsProvisionedProductId: null, ownerId: alice.id, lastRecordId: null });
    expect(launched.status).toBe("UNDER_CHANGE");
    expect(launched.awsProvisionedProductId).toMatch(/^pp-/);
    expect(launched.lastRecordId).toMatch(/^rec-/);
    const [record] = await recordRows(launched.id);
    expect(record).toMatchObject({ recordType: "PROVISION_PRODUCT", recordId: launched.lastRecordId });

    const available = await settle(launched.id);
    expect(available.status).toBe("AVAILABLE");
    const outputs = Object.fromEntries((available.outputs as { key: string; value: string }[]).map((o) => [o.key, o.value]));
    expect(outputs.BucketName).toBeTruthy();
    expect(outputs.BucketUrl).toContain(outputs.BucketName);

    const state = await emulatorState(backend);
    const bucket = state.resources.buckets.find((b) => b.name === outputs.BucketName);
    expect(bucket).toBeDefined();
    expect(tagValue(bucket!.tags, "OwnerEmail")).toBe("alice@example.org");
    expect(tagValue(bucket!.tags, "Department")).toBe("Neuroscience");
    expect(tagValue(bucket!.tags, "Project")).toBe("ADNI");
    expect(tagValue(bucket!.tags, "CostCentre")).toBe("cc-42");
    expect(JSON.stringify(bucket!.policy)).toContain(SHARED_ARN);

    const sessionArn = "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org";
    const inAws = state.provisionedProducts.find((p) => p.Id === launched.awsProvisionedProductId);
    expect(inAws?.UserArn).toBe(sessionArn);
    expect(inAws?.UserArnSession).toBe(sessionArn);
    expect(bucket!.principals).toContain(sessionArn);
    expect((await reload(alice)).awsPrincipalArn).toBe(sessionArn);

    const audit = await services.db.auditEvent.findFirst({ where: { action: "product.launch", targetId: launched.id } });
    expect(audit).toMatchObject({ actorId: alice.id, outcome: "SUCCESS" });
  });
});

describe("refusing bad input before AWS", () => {
  const cases: [string, (ids: CatalogIds) => Record<string, unknown>, string][] = [
    ["a reserved tag key in another casing", (ids) => bucketRequest(ids, { tags: [{ key: "ownerEMAIL", value: "mallory@example.org" }] }), "tags.0.key"],
    ["a tag key with the aws: prefix", (ids) => bucketRequest(ids, { tags: [{ key: "Team", value: "a" }, { key: "AWS:cloudformation", value: "x" }] }), "tags.1.key"],
    ["an S3UserARNs item that is not an ARN", (ids) => bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: ["alice@example.org"], RestrictSameRegionDownload: "true" } }), "parameters.S3UserARNs.0"],
    ["a name breaking AWS's naming rule", (ids) => bucketRequest(ids, { name: "my bucket!" }), "name"],
    ["a value outside AllowedValues", (ids) => bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "maybe" } }), "parameters.RestrictSameRegionDownload"],
    ["a TagOption value the product does not offer", (ids) => instanceRequest(ids, { tagOptions: { Schedule: "weekends" } }), "tagOptions.Schedule"],
    // 50 per resource, minus OwnerEmail/Department/Project and the ManagedBy TagOption: 46 left.
    ["more tags than AWS allows once the portal's are added", (ids) => bucketRequest(ids, { tags: Array.from({ length: 47 }, (_, i) => ({ key: `k${i}`, value: "v" })) }), "tags.46.key"],
  ];

  it("refuses a deprecated version for a new launch before writing anything (AWS would refuse it)", async () => {
    const request = instanceRequest(ids, { provisioningArtifactId: ids["EC2 Linux Instance"]!.versions["v1.0.0"]!, parameters: { EC2InstanceType: "t3a.small", VolumeSize: "40", AMI: "AmazonLinuxDocker" } });
    await resetCalls(backend);
    const error = await rejection(services.provisioning.launchProduct(as(people.alice), request));
    expect(error.status).toBe(422);
    expect(error.issues?.map((i) => i.path)).toContain("provisioningArtifactId");
    expect(await services.db.provisionedProduct.count({ where: { name: request.name } })).toBe(0);
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
  });

  it.each(cases)("refuses %s with 422 naming the field; nothing is written or sent to AWS", async (_what, build, path) => {
    const request = build(ids);
    await resetCalls(backend);
    const error = await rejection(services.provisioning.launchProduct(as(people.alice), request));
    expect(error.status).toBe(422);
    expect((error as ValidationError).issues.map((i) => i.path)).toContain(path);
    expect(await services.db.provisionedProduct.count({ where: { name: request.name as string } })).toBe(0);
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
  });
});

describe("idempotent launch", () => {
  it("re-sending the same row (a retry) reuses its ProvisionToken and creates no second product", async () => {
    const { alice } = people;
    const request = bucketRequest(ids);
    const watch = watchServiceCatalog();
    try {
      const first = await services.provisioning.launchProduct(as(alice), request);
      const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: first.id } });
      const form = await services.catalog.getProvisioningForm(alice, { productId: row.productId, artifactId: row.provisioningArtifactId });
      const again = await services.provisioning.submitProvision(as(alice), row, { parameters: request.parameters }, form);

      expect(again.awsProvisionedProductId).toBe(first.awsProvisionedProductId);
      expect(again.lastRecordId).toBe(first.lastRecordId);
      const tokens = watch.of("ProvisionProduct").map((c) => c.input.ProvisionToken);
      expect(tokens).toEqual([row.provisionToken, row.provisionToken]);
      const state = await emulatorState(backend);
      expect(state.provisionedProducts.filter((p) => p.Name === request.name)).toHaveLength(1);
      expect((await settle(first.id)).status).toBe("AVAILABLE");
    } finally {
      watch.restore();
    }
  });

  it("a double click (two launches at once with the same name) launches one product", async () => {
    const request = bucketRequest(ids);
    const results = await Promise.allSettled([
      services.provisioning.launchProduct(as(people.alice), request),
      services.provisioning.launchProduct(as(people.alice), request),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toMatchObject({ status: 422, issues: [expect.objectContaining({ path: "name" })] });
    expect(await services.db.provisionedProduct.count({ where: { name: request.name } })).toBe(1);
    const state = await emulatorState(backend);
    expect(state.provisionedProducts.filter((p) => p.Name === request.name)).toHaveLength(1);
  });
});

describe("throttling", () => {
  afterEach(async () => {
    await backend.control("faults", { method: "DELETE" });
  });

  it("survives throttled ProvisionProduct and DescribeRecord calls thanks to the SDK's retries", async () => {
    await resetCalls(backend);
    await backend.control("faults", { method: "POST", body: JSON.stringify({ throttleNext: 2, operations: ["ProvisionProduct"] }) });
    const launched = await services.provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    expect(launched.status).toBe("UNDER_CHANGE");
    const calls = await backend.control("calls");
    const provision = (calls as { calls: { operation: string; count: number; errors: number }[] }).calls.filter((c) => c.operation === "ProvisionProduct");
    expect(provision.reduce((n, c) => n + c.errors, 0)).toBe(2);

    await backend.control("faults", { method: "POST", body: JSON.stringify({ throttleNext: 1, operations: ["DescribeRecord"] }) });
    const { trackRecord } = await import("@/lib/services/tracking");
    const [record] = await recordRows(launched.id);
    // Each trackRecord call must get through despite the throttling (no error thrown).
    for (let i = 0; i < 100 && (await trackRecord(record!.id)) !== "final"; i++) await new Promise((r) => setTimeout(r, 50));
    const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } });
    expect(row.status).toBe("AVAILABLE");
    expect((await emulatorState(backend)).provisionedProducts.filter((p) => p.Name === launched.name)).toHaveLength(1);
  });

  it("when throttling outlasts the retries, says so (503), neither launches later nor keeps the name, and keeps the attempt in the history", async () => {
    const request = bucketRequest(ids);
    await backend.control("faults", { method: "POST", body: JSON.stringify({ throttleNext: 50, operations: ["ProvisionProduct"] }) });
    const error = await rejection(services.provisioning.launchProduct(as(people.alice), request));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/busy/);
    await backend.control("faults", { method: "DELETE" });

    // "Nothing was changed": reconciliation, however late, must not launch it behind the user's back.
    const { reconcile } = await import("@/lib/services/reconcile");
    await reconcile(new Date(Date.now() + 10 * 60_000));
    expect((await emulatorState(backend)).provisionedProducts.filter((p) => p.Name === request.name)).toHaveLength(0);

    // "Try again": the same name can be launched at once; the failed attempt stays in the history.
    const failed = await services.db.provisionedProduct.findFirstOrThrow({ where: { name: request.name } });
    expect(failed.status).toBe("ERROR");
    expect(await services.products.isNameAvailable(request.name)).toBe(true);
    const retried = await services.provisioning.launchProduct(as(people.alice), request);
    expect(retried.status).toBe("UNDER_CHANGE");
    expect(retried.id).not.toBe(failed.id);
    expect((await services.products.listMyProducts(people.alice)).items.map((p) => p.id)).toEqual(expect.arrayContaining([failed.id, retried.id]));
    // The retry is the live one now: its name is taken again.
    expect(await services.products.isNameAvailable(request.name)).toBe(false);
    // And the failed attempt can still be removed from the list.
    await services.provisioning.terminateProduct(as(people.alice), failed.id, { confirmName: request.name });
    expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("TERMINATED");
  });
});

describe("isolation between users", () => {
  let alicesProduct: Awaited<ReturnType<typeof services.provisioning.launchProduct>>;
  beforeAll(async () => {
    alicesProduct = await services.provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    await settle(alicesProduct.id);
  });

  it("bob cannot find, read, update or terminate alice's product: 404, as if it did not exist", async () => {
    const { bob } = people;
    const p = services.provisioning;
    // Each attempt starts only when the loop reaches it, so none rejects before it is awaited.
    for (const attempt of [
      () => services.products.findVisibleProduct(bob, alicesProduct.id),
      () => services.products.findVisibleProduct(bob, alicesProduct.id, "change"),
      () => services.products.getProductView(bob, alicesProduct.id),
      () => p.updateProduct(as(bob), alicesProduct.id, { provisioningArtifactId: alicesProduct.provisioningArtifactId, parameters: { RestrictSameRegionDownload: "false" } }),
      () => p.previewUpdate(as(bob), alicesProduct.id, { provisioningArtifactId: alicesProduct.provisioningArtifactId, parameters: { RestrictSameRegionDownload: "false" } }),
      () => p.terminateProduct(as(bob), alicesProduct.id, { confirmName: alicesProduct.name }),
    ]) {
      const error = await rejection(attempt());
      expect(error.status).toBe(404);
      expect(error.name).toBe("NotFoundError");
    }
    expect((await services.products.listMyProducts(bob)).items.map((x) => x.id)).not.toContain(alicesProduct.id);
    const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: alicesProduct.id } });
    expect(row.status).toBe("AVAILABLE");
  });

  it("an admin may read alice's product but not update it; terminating it takes the typed confirmation", async () => {
    const { admin } = people;
    const view = await services.products.getProductView(admin, alicesProduct.id);
    expect(view).toMatchObject({ id: alicesProduct.id, ownerEmail: "alice@example.org", canChange: false });
    expect((await rejection(services.provisioning.terminateProduct(as(admin), alicesProduct.id, { confirmName: "not-its-name" }))).status).toBe(422);
    expect((await rejection(services.provisioning.updateProduct(as(admin), alicesProduct.id, { provisioningArtifactId: alicesProduct.provisioningArtifactId, parameters: { RestrictSameRegionDownload: "false" } }))).status).toBe(404);
    expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: alicesProduct.id } })).status).toBe("AVAILABLE");
  });

  it("a malformed or unknown id is a 404 too", async () => {
    expect((await rejection(services.products.findVisibleProduct(people.alice, "not-a-uuid"))).status).toBe(404);
    expect((await rejection(services.products.findVisibleProduct(people.alice, crypto.randomUUID()))).status).toBe(404);
  });
});

describe("updating an instance", () => {
  it("previews the replacement, sends unchanged parameters with UsePreviousValue, and applies the new type", async () => {
    const { alice } = people;
    const request = instanceRequest(ids);
    const launched = await services.provisioning.launchProduct(as(alice), request);
    const before = await settle(launched.id);
    expect(before.status).toBe("AVAILABLE");
    const instanceIdOf = (row: { outputs: unknown }) => (row.outputs as { key: string; value: string }[]).find((o) => o.key === "EC2InstanceId")?.value;
    const oldInstance = instanceIdOf(before);
    expect(oldInstance).toMatch(/^i-/);

    const change = { provisioningArtifactId: request.provisioningArtifactId, parameters: { ...request.parameters, EC2InstanceType: "m6a.large" }, tagOptions: request.tagOptions };
    const watch = watchServiceCatalog();
    let preview: Awaited<ReturnType<typeof services.provisioning.previewUpdate>>;
    try {
      preview = await services.provisioning.previewUpdate(as(alice), launched.id, change);
    } finally {
      watch.restore();
    }
    expect(preview.changedParameters.map((c) => [c.key, c.before, c.after])).toEqual([["EC2InstanceType", "t3a.small", "m6a.large"]]);
    expect(preview.warnings.join(" ")).toMatch(/instance will be recreated/i);
    const planned = watch.of("CreateProvisionedProductPlan")[0]!.input.ProvisioningParameters as { Key: string; Value?: string; UsePreviousValue?: boolean }[];
    expect(planned).toEqual(
      expect.arrayContaining([
        { Key: "EC2InstanceType", Value: "m6a.large" },
        { Key: "VolumeSize", UsePreviousValue: true },
        { Key: "AMI", UsePreviousValue: true },
      ]),
    );
    // The preview changed nothing.
    expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: launched.id } })).status).toBe("AVAILABLE");

    const updateWatch = watchServiceCatalog();
    let updating: Awaited<ReturnType<typeof services.provisioning.updateProduct>>;
    try {
      updating = await services.provisioning.updateProduct(as(alice), launched.id, change);
    } finally {
      updateWatch.restore();
    }
    expect(updating.status).toBe("UNDER_CHANGE");
    const sent = updateWatch.of("UpdateProvisionedProduct")[0]!.input;
    expect(sent.ProvisioningParameters).toEqual(expect.arrayContaining([{ Key: "VolumeSize", UsePreviousValue: true }, { Key: "EC2InstanceType", Value: "m6a.large" }]));

    // Refused while the update runs.
    const busy = await rejection(services.provisioning.updateProduct(as(alice), launched.id, { ...change, parameters: { ...change.parameters, EC2InstanceType: "m6a.xlarge" } }));
    expect(busy.status).toBe(409);
    expect((await rejection(services.provisioning.terminateProduct(as(alice), launched.id, { confirmName: launched.name }))).status).toBe(409);

    const after = await settle(launched.id);
    expect(after.status).toBe("AVAILABLE");
    expect((after.parameters as Record<string, string>).EC2InstanceType).toBe("m6a.large");
    const newInstance = instanceIdOf(after);
    expect(newInstance).toMatch(/^i-/);
    expect(newInstance).not.toBe(oldInstance);
    const instance = (await emulatorState(backend)).resources.instances.find((i) => i.instanceId === newInstance);
    expect(instance).toMatchObject({ instanceType: "m6a.large", volumeSize: 40 });
    const audit = await services.db.auditEvent.findFirst({ where: { action: "product.update", targetId: launched.id, outcome: "SUCCESS" } });
    expect(audit).not.toBeNull();

    const nothing = await rejection(services.provisioning.updateProduct(as(alice), launched.id, change));
    expect(nothing.status).toBe(422);
    expect(nothing.message).toMatch(/Nothing to update/);
  });
});

describe("an update that fails in AWS", () => {
  afterEach(async () => {
    await backend.control("faults", { method: "DELETE" });
  });

  it("ends TAINTED with AWS's reason, keeps showing what actually runs, and can be retried", async () => {
    const { alice } = people;
    const request = instanceRequest(ids);
    const launched = await services.provisioning.launchProduct(as(alice), request);
    await settle(launched.id);
    const change = { provisioningArtifactId: request.provisioningArtifactId, parameters: { ...request.parameters, EC2InstanceType: "r6a.large" }, tagOptions: request.tagOptions };

    await backend.control("faults", { method: "POST", body: JSON.stringify({ failNext: { productName: "EC2 Linux Instance", operation: "UPDATE", message: "Simulated capacity shortage" } }) });
    await services.provisioning.updateProduct(as(alice), launched.id, change);
    const failed = await settle(launched.id);
    expect(failed.status).toBe("TAINTED");
    expect(failed.statusMessage).toContain("Simulated capacity shortage");
    const records = await recordRows(launched.id);
    expect(records.at(-1)).toMatchObject({ recordType: "UPDATE_PROVISIONED_PRODUCT", status: "FAILED" });
    expect(JSON.stringify(records.at(-1)!.errors)).toContain("Simulated capacity shortage");

    // AWS rolled back: the portal shows the values that are actually deployed.
    const inAws = (await emulatorState(backend)).provisionedProducts.find((p) => p.Id === launched.awsProvisionedProductId)!;
    expect(inAws.parameters.EC2InstanceType).toBe("t3a.small");
    expect((failed.parameters as Record<string, string>).EC2InstanceType).toBe("t3a.small");
    expect((await services.products.getProductView(alice, launched.id)).parameters.EC2InstanceType).toBe("t3a.small");

    // Trying the same change again is an update, not "nothing to update".
    await services.provisioning.updateProduct(as(alice), launched.id, change);
    const retried = await settle(launched.id);
    expect(retried.status).toBe("AVAILABLE");
    expect((retried.parameters as Record<string, string>).EC2InstanceType).toBe("r6a.large");
  });
});

describe("terminating", () => {
  it("asks for the exact name, then terminates, keeps the row, and frees the name", async () => {
    const { alice } = people;
    const request = bucketRequest(ids);
    const launched = await services.provisioning.launchProduct(as(alice), request);
    await settle(launched.id);

    const wrong = await rejection(services.provisioning.terminateProduct(as(alice), launched.id, { confirmName: request.name.toUpperCase() }));
    expect(wrong.status).toBe(422);
    expect(wrong.issues?.[0]?.path).toBe("confirmName");
    expect((await emulatorState(backend)).provisionedProducts.find((p) => p.Id === launched.awsProvisionedProductId)?.Status).toBe("AVAILABLE");

    const terminating = await services.provisioning.terminateProduct(as(alice), launched.id, { confirmName: request.name });
    expect(terminating.status).toBe("UNDER_CHANGE");
    const done = await settle(launched.id);
    expect(done.status).toBe("TERMINATED");
    expect(done.terminatedAt).toBeInstanceOf(Date);
    expect((await emulatorState(backend)).provisionedProducts.find((p) => p.Id === launched.awsProvisionedProductId)).toBeUndefined();
    // Outputs stay for history; the bucket itself is retained (DeletionPolicy Retain).
    expect(done.outputs).toEqual(expect.arrayContaining([expect.objectContaining({ key: "BucketName" })]));
    expect(await services.products.isNameAvailable(request.name)).toBe(true);
    expect((await services.products.listMyProducts(alice)).items.map((p) => p.id)).not.toContain(launched.id);
    expect((await services.products.listMyProducts(alice, { terminated: "1" })).items.map((p) => p.id)).toContain(launched.id);

    const again = await services.provisioning.launchProduct(as(alice), { ...request });
    expect(again.id).not.toBe(launched.id);
    expect((await settle(again.id)).status).toBe("AVAILABLE");
  });
});
