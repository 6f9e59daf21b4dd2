/**
 * Ownership transfer, end to end against PostgreSQL and the emulator over HTTP: Service Catalog's
 * owner, the reserved tags, the owner-bound parameter and with it the bucket policy, the database
 * and the audit; stopping before a replacement; failures at each step, resume and roll back; two
 * transfers at once. The job's turns are driven here (`advanceTransfer`), as the worker would.
 */
import { SearchProvisionedProductsCommand } from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import {
  bucketRequest,
  callCount,
  catalogIds,
  catalogWith,
  emulatorState,
  instanceRequest,
  logInPeople,
  resetCalls,
  serviceCatalogAs,
  settle,
  sleep,
  uniqueName,
  rejection,
  type CatalogIds,
  type People,
} from "@/test/support/portal-fixtures";
import type { User } from "@/generated/prisma/client";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let services: {
  provisioning: typeof import("@/lib/services/provisioning");
  products: typeof import("@/lib/services/products");
  transfers: typeof import("@/lib/services/transfers");
  db: typeof import("@/lib/db").db;
};

const ANALYST = "arn:aws:iam::123456789012:role/Analyst";
const arnOf = (email: string) => `arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/${email}`;
const WORKSPACE = "Owner-named Workspace";
const SYNAPSE = "S3 Synapse Bucket";

beforeAll(async () => {
  const catalogDir = await catalogWith([{ key: "owner-named-workspace", name: WORKSPACE, template: "owner-named-workspace.yaml", tagUpdates: "ALLOWED" }]);
  backend = await startPortalBackend(undefined, { catalogDir });
  services = {
    provisioning: await import("@/lib/services/provisioning"),
    products: await import("@/lib/services/products"),
    transfers: await import("@/lib/services/transfers"),
    db: (await import("@/lib/db")).db,
  };
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

const as = (user: User) => ({ user, requestId: "test" });

/** The worker's loop: turns until the transfer stops needing one. */
async function run(transferId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await services.transfers.advanceTransfer(transferId)) === "wait") {
    if (Date.now() > deadline) throw new Error(`transfer ${transferId} still running after ${timeoutMs} ms`);
    await sleep(50);
  }
  return services.db.ownershipTransfer.findUniqueOrThrow({ where: { id: transferId } });
}

async function alicesBucket(extra: Record<string, unknown> = {}) {
  const launched = await services.provisioning.launchProduct(as(people.alice), bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: [ANALYST], RestrictSameRegionDownload: "true" }, ...extra }));
  return settle(launched.id);
}

function simple(product: string, parameters: Record<string, string> = {}) {
  return { name: uniqueName("p"), productId: ids[product]!.productId, provisioningArtifactId: ids[product]!.versions["v1.0.0"]!, parameters, tags: [], tagOptions: {} };
}

async function inAws(awsId: string | null) {
  const state = await emulatorState(backend);
  const product = state.provisionedProducts.find((p) => p.Id === awsId)!;
  return { product, tags: Object.fromEntries(((product.Tags as { Key: string; Value: string }[]) ?? []).map((t) => [t.Key, t.Value])), state };
}

describe("transferring alice's bucket to bob", () => {
  it("moves Service Catalog's owner, the tags, the owner-bound parameter and the bucket policy, then the portal; alice loses it, bob has it", async () => {
    const { alice, bob, admin } = people;
    const bucket = await alicesBucket();
    expect((bucket.parameters as Record<string, string>).OwnerPrincipalArn).toBe(arnOf("alice@example.org"));

    const preview = await services.transfers.previewTransfer(as(admin), bucket.id, bob.id);
    expect(preview.changes.owner).toMatchObject({ from: "alice@example.org", to: "bob@example.org" });
    expect(preview.changes.tags).toEqual([
      { key: "OwnerEmail", before: "alice@example.org", after: "bob@example.org" },
      { key: "Department", before: "Neuroscience", after: "Genomics" },
      { key: "Project", before: "ADNI", after: "TOPMed" },
    ]);
    expect(preview.changes.access).toMatchObject({ loses: [arnOf("alice@example.org")], gains: [arnOf("bob@example.org")], after: [arnOf("bob@example.org"), ANALYST] });
    expect(preview.replacements).toEqual([]);

    const started = await services.transfers.startTransfer(as(admin), bucket.id, bob.id);
    expect(started).toMatchObject({ status: "RUNNING", step: 1, from: { email: "alice@example.org" }, to: { email: "bob@example.org" } });
    // While it runs, alice cannot change or terminate it.
    const blocked = await rejection(services.provisioning.terminateProduct(as(alice), bucket.id, { confirmName: bucket.name }));
    expect(blocked.status).toBe(409);
    expect(blocked.message).toMatch(/being transferred to another owner/);

    const done = await run(started.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", step: 3, failedStep: null });

    // AWS: owner, tags, the owner-bound parameter, and who the bucket policy lets in.
    const { product, tags, state } = await inAws(bucket.awsProvisionedProductId);
    expect(product.UserArn).toBe(arnOf("bob@example.org"));
    expect(tags).toMatchObject({ OwnerEmail: "bob@example.org", Department: "Genomics", Project: "TOPMed" });
    expect(product.parameters.OwnerPrincipalArn).toBe(arnOf("bob@example.org"));
    const bucketName = (bucket.outputs as { key: string; value: string }[]).find((o) => o.key === "BucketName")!.value;
    const resource = state.resources.buckets.find((b) => b.name === bucketName)!;
    expect([...resource.principals].sort()).toEqual([ANALYST, arnOf("bob@example.org")].sort());
    expect(JSON.stringify(resource.policy)).not.toContain("alice@example.org");

    // The portal.
    const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: bucket.id } });
    expect(row.ownerId).toBe(bob.id);
    expect(row.status).toBe("AVAILABLE");
    expect((row.parameters as Record<string, string>).OwnerPrincipalArn).toBe(arnOf("bob@example.org"));
    expect(row.tags).toEqual(expect.arrayContaining([{ key: "OwnerEmail", value: "bob@example.org" }]));
    expect((await rejection(services.products.getProductView(alice, bucket.id))).status).toBe(404);
    expect((await services.products.listMyProducts(alice)).items.map((p) => p.id)).not.toContain(bucket.id);
    expect((await services.products.listMyProducts(bob)).items.map((p) => p.id)).toContain(bucket.id);
    const view = await services.products.getProductView(bob, bucket.id);
    expect(view.records.map((r) => [r.type, r.requestedBy])).toEqual(
      expect.arrayContaining([
        ["UPDATE_PROVISIONED_PRODUCT_PROPERTIES", "admin@example.org"],
        ["UPDATE_PROVISIONED_PRODUCT", "admin@example.org"],
      ]),
    );

    // In AWS, alice's own sessions no longer list it; bob's do.
    const listed = async (user: User) =>
      ((await (await serviceCatalogAs(user, backend)).send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "Self" } }))).ProvisionedProducts ?? []).map((p) => p.Id);
    expect(await listed(alice)).not.toContain(bucket.awsProvisionedProductId);
    expect(await listed(bob)).toContain(bucket.awsProvisionedProductId);

    // Audit: the product's event and one for each person, all naming the admin.
    const events = await services.db.auditEvent.findMany({ where: { action: { in: ["product.transfer", "user.product-transferred-away", "user.product-received"] }, details: { path: ["transferId"], equals: started.id } } });
    expect(events.map((e) => [e.action, e.actorEmail, e.targetId]).sort()).toEqual(
      [
        ["product.transfer", "admin@example.org", bucket.id],
        ["user.product-received", "admin@example.org", bob.id],
        ["user.product-transferred-away", "admin@example.org", alice.id],
      ].sort(),
    );
  });

  it("moves an EC2 instance's tags in place: no owner-bound parameter, nothing replaced", async () => {
    const launched = await services.provisioning.launchProduct(as(people.alice), instanceRequest(ids));
    const instance = await settle(launched.id);
    const preview = await services.transfers.previewTransfer(as(people.admin), instance.id, people.bob.id);
    expect(preview.replacements).toEqual([]);
    expect(preview.changes.access.viaTags).toBe(true);
    const before = (instance.outputs as { key: string; value: string }[]).find((o) => o.key === "EC2InstanceId")!.value;
    const done = await run((await services.transfers.startTransfer(as(people.admin), instance.id, people.bob.id)).id);
    expect(done.status).toBe("SUCCEEDED");
    const { product, tags } = await inAws(instance.awsProvisionedProductId);
    expect(product.UserArn).toBe(arnOf("bob@example.org"));
    expect(tags.OwnerEmail).toBe("bob@example.org");
    const after = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: instance.id } });
    expect((after.outputs as { key: string; value: string }[]).find((o) => o.key === "EC2InstanceId")!.value).toBe(before);
  });

  it("on a product whose tags AWS will not change, says so, and still moves the owner and the access", async () => {
    const launched = await services.provisioning.launchProduct(as(people.alice), { ...simple(SYNAPSE, { BucketName: "", SynapseUserName: "alice_syn", S3UserARNs: "", RestrictSameRegionDownload: "true" }) });
    const synapse = await settle(launched.id);
    const preview = await services.transfers.previewTransfer(as(people.admin), synapse.id, people.bob.id);
    expect(preview.changes.tagsWillChange).toBe(false);
    expect(preview.changes.notes.join(" ")).toMatch(/does not allow tag changes on this product/);
    const done = await run((await services.transfers.startTransfer(as(people.admin), synapse.id, people.bob.id)).id);
    expect(done.status).toBe("SUCCEEDED");
    const { product, tags } = await inAws(synapse.awsProvisionedProductId);
    expect(product.UserArn).toBe(arnOf("bob@example.org"));
    expect(product.parameters.OwnerPrincipalArn).toBe(arnOf("bob@example.org"));
    expect(tags.OwnerEmail).toBe("alice@example.org");
    const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: synapse.id } });
    expect(row.ownerId).toBe(people.bob.id);
    expect(row.tags).toEqual(expect.arrayContaining([{ key: "OwnerEmail", value: "alice@example.org" }]));
  });
});

describe("a transfer whose update AWS would carry out by replacing a resource", () => {
  async function alicesWorkspace() {
    const launched = await services.provisioning.launchProduct(as(people.alice), simple(WORKSPACE));
    return settle(launched.id);
  }

  it("stops before the update, names the resource, keeps the old tags, and goes on when the admin confirms", async () => {
    const workspace = await alicesWorkspace();
    const preview = await services.transfers.previewTransfer(as(people.admin), workspace.id, people.bob.id);
    expect(preview.replacements).toEqual([expect.stringMatching(/^WorkspaceRole \(AWS::IAM::Role\): .*Caused by: RoleName\.$/)]);

    const started = await services.transfers.startTransfer(as(people.admin), workspace.id, people.bob.id);
    const stopped = await run(started.id);
    expect(stopped).toMatchObject({ status: "NEEDS_CONFIRMATION", failedStep: 2 });
    expect(stopped.failureReason).toMatch(/AWS would replace a resource to update the tags and access: WorkspaceRole/);
    expect((await inAws(workspace.awsProvisionedProductId)).tags.OwnerEmail).toBe("alice@example.org");
    expect((await rejection(services.transfers.resumeTransfer(as(people.admin), started.id))).status).toBe(422);

    await services.transfers.resumeTransfer(as(people.admin), started.id, { acceptReplacement: true });
    expect((await run(started.id)).status).toBe("SUCCEEDED");
    const { tags, state } = await inAws(workspace.awsProvisionedProductId);
    expect(tags.OwnerEmail).toBe("bob@example.org");
    const roles = Object.values((state.resources as unknown as { other: Record<string, { type: string; physicalId: string }> }).other).filter((r) => r.type === "AWS::IAM::Role").map((r) => r.physicalId);
    expect(roles).toContain("workspace-bob@example.org");
  });

  it("rolled back instead: the owner returns to alice in AWS and the portal, through the same steps", async () => {
    const workspace = await alicesWorkspace();
    const started = await services.transfers.startTransfer(as(people.admin), workspace.id, people.bob.id);
    expect((await run(started.id)).status).toBe("NEEDS_CONFIRMATION");
    expect((await inAws(workspace.awsProvisionedProductId)).product.UserArn).toBe(arnOf("bob@example.org"));

    const rollback = await services.transfers.rollBackTransfer(as(people.admin), started.id);
    expect(rollback).toMatchObject({ from: { email: "bob@example.org" }, to: { email: "alice@example.org" }, rollbackOf: started.id });
    expect((await run(rollback.id)).status).toBe("SUCCEEDED");
    expect((await services.db.ownershipTransfer.findUniqueOrThrow({ where: { id: started.id } })).status).toBe("ROLLED_BACK");
    const { product, tags } = await inAws(workspace.awsProvisionedProductId);
    expect(product.UserArn).toBe(arnOf("alice@example.org"));
    expect(tags.OwnerEmail).toBe("alice@example.org");
    expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: workspace.id } })).ownerId).toBe(people.alice.id);
  });
});

describe("a step that fails", () => {
  const faults = (body: unknown) => backend.control("faults", { method: "POST", body: JSON.stringify(body) });
  const adminArn = "arn:aws:sts::123456789012:assumed-role/ServiceCatalogAdmins/admin@example.org";

  it("step 1 (AWS refuses the owner change): Transfer incomplete at step 1, the product still held; Resume finishes it", async () => {
    const bucket = await alicesBucket();
    await faults({ internalErrorNext: 10, operations: ["UpdateProvisionedProductProperties"], callers: [adminArn] });
    const started = await services.transfers.startTransfer(as(people.admin), bucket.id, people.bob.id);
    const failed = await run(started.id);
    await backend.control("faults", { method: "DELETE" });
    expect(failed).toMatchObject({ status: "FAILED", failedStep: 1 });
    expect(failed.failureReason).toMatch(/Changing the owner in Service Catalog/);
    expect((await inAws(bucket.awsProvisionedProductId)).product.UserArn).toBe(arnOf("alice@example.org"));
    expect((await rejection(services.provisioning.updateProduct(as(people.alice), bucket.id, { provisioningArtifactId: bucket.provisioningArtifactId, parameters: { RestrictSameRegionDownload: "false" } }))).message).toMatch(/waiting for an administrator/);

    await services.transfers.resumeTransfer(as(people.admin), started.id);
    expect((await run(started.id)).status).toBe("SUCCEEDED");
    expect((await inAws(bucket.awsProvisionedProductId)).product.UserArn).toBe(arnOf("bob@example.org"));
  });

  it("step 2 (the update fails in AWS): Transfer incomplete at step 2 with AWS's reason; Resume tries the update again", async () => {
    const bucket = await alicesBucket();
    await faults({ failNext: { productName: "S3 Private Encrypted Bucket", operation: "UPDATE", message: "Simulated failure of the policy update" } });
    const started = await services.transfers.startTransfer(as(people.admin), bucket.id, people.bob.id);
    const failed = await run(started.id);
    expect(failed).toMatchObject({ status: "FAILED", failedStep: 2 });
    expect(failed.failureReason).toMatch(/The update of the tags and access failed, and AWS rolled it back: Simulated failure of the policy update\. In AWS the product already belongs to bob@example\.org\./);
    expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: bucket.id } })).ownerId).toBe(people.alice.id);

    await resetCalls(backend);
    await services.transfers.resumeTransfer(as(people.admin), started.id);
    expect((await run(started.id)).status).toBe("SUCCEEDED");
    // The owner change was not sent again; the update was.
    expect(await callCount(backend, "servicecatalog:UpdateProvisionedProductProperties")).toBe(0);
    expect(await callCount(backend, "servicecatalog:UpdateProvisionedProduct")).toBe(1);
    expect((await inAws(bucket.awsProvisionedProductId)).tags.OwnerEmail).toBe("bob@example.org");
  });

  it("step 3 (the database refuses the owner's write): the turn fails, the transfer waits at step 3, and the job's retry completes it once", async () => {
    const bucket = await alicesBucket();
    const started = await services.transfers.startTransfer(as(people.admin), bucket.id, people.bob.id);
    // PostgreSQL refuses any change of a product's owner for a while.
    await services.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_owner_change() RETURNS trigger AS $$
      BEGIN IF NEW.owner_id <> OLD.owner_id THEN RAISE EXCEPTION 'owner changes refused for this test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_owner_change BEFORE UPDATE ON provisioned_products FOR EACH ROW EXECUTE FUNCTION refuse_owner_change();`);
    try {
      await expect(run(started.id)).rejects.toThrow(/owner changes refused/);
      expect(await services.db.ownershipTransfer.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: "RUNNING", step: 3 });
      expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: bucket.id } })).ownerId).toBe(people.alice.id);
    } finally {
      await services.db.$executeRawUnsafe("DROP TRIGGER refuse_owner_change ON provisioned_products; DROP FUNCTION refuse_owner_change();");
    }
    expect((await run(started.id)).status).toBe("SUCCEEDED");
    expect((await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: bucket.id } })).ownerId).toBe(people.bob.id);
    expect(await services.db.auditEvent.count({ where: { action: "product.transfer", details: { path: ["transferId"], equals: started.id } } })).toBe(1);
  });
});

describe("two transfers of one product at once", () => {
  it("start one, refuse the other, and AWS sees a single owner change even when two workers run it", async () => {
    const bucket = await alicesBucket();
    const results = await Promise.allSettled([
      services.transfers.startTransfer(as(people.admin), bucket.id, people.bob.id),
      services.transfers.startTransfer(as(people.admin), bucket.id, people.admin.id),
    ]);
    const started = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(started).toHaveLength(1);
    expect(refused[0]!.reason).toMatchObject({ status: 409, message: expect.stringMatching(/already under way/) });

    await resetCalls(backend);
    const transferId = (started[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    await Promise.all([run(transferId), run(transferId)]);
    // Both workers may send a call, with the same idempotency token: AWS makes one change of each kind.
    const records = (await emulatorState(backend)).records.filter((r) => r.ProvisionedProductId === bucket.awsProvisionedProductId);
    expect(records.filter((r) => r.RecordType === "UPDATE_PROVISIONED_PRODUCT_PROPERTIES")).toHaveLength(1);
    expect(records.filter((r) => r.RecordType === "UPDATE_PROVISIONED_PRODUCT")).toHaveLength(1);
    expect(await callCount(backend, "servicecatalog:UpdateProvisionedProductProperties")).toBeGreaterThanOrEqual(1);
    expect(await services.db.provisioningRecord.count({ where: { provisionedProductId: bucket.id, recordType: "UPDATE_PROVISIONED_PRODUCT_PROPERTIES" } })).toBe(1);
    expect((await services.db.ownershipTransfer.findUniqueOrThrow({ where: { id: transferId } })).status).toBe("SUCCEEDED");
    expect(await services.db.auditEvent.count({ where: { action: "product.transfer", details: { path: ["transferId"], equals: transferId } } })).toBe(1);
  });
});

describe("who may", () => {
  it("only admins transfer; nobody transfers to the current owner, or to someone who never signed in or was deactivated", async () => {
    const bucket = await alicesBucket();
    expect((await rejection(services.transfers.startTransfer(as(people.bob), bucket.id, people.bob.id))).status).toBe(403);
    expect((await rejection(services.transfers.previewTransfer(as(people.admin), bucket.id, people.alice.id))).message).toMatch(/already owns it/);
    expect((await rejection(services.transfers.previewTransfer(as(people.admin), bucket.id, "00000000-0000-4000-8000-000000000000"))).message).toMatch(/Nobody with that id has signed in/);
    const { setUserActive } = await import("@/lib/services/users");
    await setUserActive(as(people.admin), people.bob.id, false);
    try {
      expect((await rejection(services.transfers.startTransfer(as(people.admin), bucket.id, people.bob.id))).message).toMatch(/deactivated/);
    } finally {
      await setUserActive(as(people.admin), people.bob.id, true);
    }
  });

  it("an admin terminates someone else's product with the typed confirmation; history and audit name the admin and the owner", async () => {
    const bucket = await alicesBucket();
    await services.provisioning.terminateProduct(as(people.admin), bucket.id, { confirmName: bucket.name });
    const done = await settle(bucket.id);
    expect(done.status).toBe("TERMINATED");
    const view = await services.products.getProductView(people.alice, bucket.id);
    expect(view.records[0]).toMatchObject({ type: "TERMINATE_PROVISIONED_PRODUCT", requestedBy: "admin@example.org", status: "SUCCEEDED" });
    const audit = await services.db.auditEvent.findFirstOrThrow({ where: { action: "product.terminate", targetId: bucket.id, outcome: "SUCCESS" } });
    expect(audit).toMatchObject({ actorEmail: "admin@example.org", details: { byAdmin: true, owner: "alice@example.org" } });
  });
});
