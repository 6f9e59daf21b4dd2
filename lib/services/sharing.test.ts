/**
 * Sharing a bucket, end to end against PostgreSQL and the emulator over HTTP: with a colleague and
 * by ARN, then removing; after each applied change the emulator's bucket policy names exactly the
 * owner and the shared principals. The allow-list, the size limit, Shared with me, and the server
 * refusing bad sharing entries on launch, update and the sharing routes with 422 and no AWS call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { bucketRequest, instanceRequest, callCount, catalogIds, emulatorCalls, emulatorState, logInPeople, resetCalls, settle, rejection, type CatalogIds, type People } from "@/test/support/portal-fixtures";
import { countQueries } from "@/test/support/queries";
import type { User } from "@/generated/prisma/client";

const OWN = "123456789012";
const PARTNER = "210987654321";
const ANALYST = `arn:aws:iam::${OWN}:role/Analyst`;
const PARTNER_ROLE = `arn:aws:iam::${PARTNER}:role/PartnerReader`;
const arnOf = (email: string) => `arn:aws:sts::${OWN}:assumed-role/ServiceCatalogEndusers/${email}`;

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let services: {
  provisioning: typeof import("@/lib/services/provisioning");
  sharing: typeof import("@/lib/services/sharing");
  products: typeof import("@/lib/services/products");
  db: typeof import("@/lib/db").db;
};

beforeAll(async () => {
  process.env.SHARING_ALLOWED_ACCOUNTS = `${OWN},${PARTNER}`;
  backend = await startPortalBackend();
  services = {
    provisioning: await import("@/lib/services/provisioning"),
    sharing: await import("@/lib/services/sharing"),
    products: await import("@/lib/services/products"),
    db: (await import("@/lib/db")).db,
  };
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  delete process.env.SHARING_ALLOWED_ACCOUNTS;
  await backend?.close();
});

const as = (user: User) => ({ user, requestId: "test" });

/** The principals the emulator's bucket policy for this product lets in. */
async function policyPrincipals(productRowId: string): Promise<string[]> {
  const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: productRowId } });
  const bucketName = (row.outputs as { key: string; value: string }[]).find((o) => o.key === "BucketName")!.value;
  const bucket = (await emulatorState(backend)).resources.buckets.find((b) => b.name === bucketName)!;
  return [...new Set(bucket.principals)].sort();
}

async function share(user: User, productId: string, principals: string[]) {
  await services.sharing.applySharing(as(user), productId, { principals });
  return settle(productId);
}

async function alicesBucket(parameters: Record<string, unknown> = { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" }) {
  const launched = await services.provisioning.launchProduct(as(people.alice), bucketRequest(ids, { parameters }));
  return settle(launched.id);
}

describe("sharing alice's bucket", () => {
  it("with bob by name and with a role by ARN, then removing them: the bucket policy follows each step, Shared with me too", async () => {
    const { alice, bob } = people;
    const bucket = await alicesBucket();
    expect(await policyPrincipals(bucket.id)).toEqual([arnOf("alice@example.org")]);

    // Share with a colleague: the search gives bob's end-user principal.
    const found = await services.sharing.searchPeople(as(alice), "bob");
    const bobArn = found.items.find((p) => p.email === "bob@example.org")!.principalArn;
    expect(bobArn).toBe(arnOf("bob@example.org"));

    const preview = await services.sharing.previewSharing(as(alice), bucket.id, { principals: [bobArn, ANALYST] });
    expect(preview.sentences).toEqual(["bob@example.org gains read/write", `${ANALYST} gains read/write`]);

    await share(alice, bucket.id, [bobArn]);
    expect(await policyPrincipals(bucket.id)).toEqual([arnOf("alice@example.org"), bobArn].sort());
    await share(alice, bucket.id, [bobArn, ANALYST]);
    expect(await policyPrincipals(bucket.id)).toEqual([arnOf("alice@example.org"), bobArn, ANALYST].sort());

    const view = await services.sharing.getSharing(as(alice), bucket.id);
    expect(view.owner).toMatchObject({ arn: arnOf("alice@example.org"), person: { email: "alice@example.org", name: "Alice Liddell" } });
    expect(view.principals).toEqual([
      expect.objectContaining({ arn: bobArn, person: { email: "bob@example.org", name: "Bob Builder" }, kind: "assumed-role session" }),
      expect.objectContaining({ arn: ANALYST, person: null, kind: "IAM role", account: OWN, otherAccount: false }),
    ]);

    const shared = (await services.sharing.listSharedWithMe(bob)).items;
    expect(shared).toEqual([expect.objectContaining({ id: bucket.id, name: bucket.name, owner: { name: "Alice Liddell", email: "alice@example.org" } })]);
    expect(shared[0]!.bucket).toMatch(/\S/);

    // One audit event per principal added.
    const audits = await services.db.auditEvent.findMany({ where: { targetId: bucket.id, action: { in: ["product.share", "product.unshare"] } }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => [a.action, (a.details as { principal: string }).principal])).toEqual([
      ["product.share", bobArn],
      ["product.share", ANALYST],
    ]);

    // Remove bob: the policy and bob's list lose him; the role stays.
    expect((await services.sharing.previewSharing(as(alice), bucket.id, { principals: [ANALYST] })).sentences).toEqual(["bob@example.org loses access"]);
    await share(alice, bucket.id, [ANALYST]);
    expect(await policyPrincipals(bucket.id)).toEqual([arnOf("alice@example.org"), ANALYST].sort());
    expect((await services.sharing.listSharedWithMe(bob)).items).toEqual([]);
    expect(await services.db.auditEvent.count({ where: { targetId: bucket.id, action: "product.unshare" } })).toBe(1);

    // Every other parameter stayed, and the version.
    const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: bucket.id } });
    expect(row.provisioningArtifactId).toBe(bucket.provisioningArtifactId);
    expect((row.parameters as Record<string, unknown>).RestrictSameRegionDownload).toBe("true");
    const update = (await emulatorState(backend)).records.filter((r) => r.RecordType === "UPDATE_PROVISIONED_PRODUCT" && r.ProvisionedProductId === bucket.awsProvisionedProductId);
    expect(update).toHaveLength(3);

    // bob cannot change alice's sharing.
    expect((await rejection(services.sharing.applySharing(as(bob), bucket.id, { principals: [] }))).status).toBe(404);
  });

  it("leaves Shared with me when the product is terminated, and the table follows the launch's own list", async () => {
    const bobArn = arnOf("bob@example.org");
    const bucket = await alicesBucket({ BucketName: "", S3UserARNs: [bobArn], RestrictSameRegionDownload: "true" });
    expect(await policyPrincipals(bucket.id)).toEqual([arnOf("alice@example.org"), bobArn].sort());
    expect((await services.sharing.listSharedWithMe(people.bob)).items.map((s) => s.id)).toContain(bucket.id);
    await services.provisioning.terminateProduct(as(people.alice), bucket.id, { confirmName: bucket.name });
    await settle(bucket.id);
    expect((await services.sharing.listSharedWithMe(people.bob)).items.map((s) => s.id)).not.toContain(bucket.id);
    expect(await services.db.productShare.count({ where: { provisionedProductId: bucket.id } })).toBe(0);
  });

  it("the migration's backfill gives products launched before product_shares their shares", async () => {
    const { readFileSync } = await import("node:fs");
    const sql = readFileSync("prisma/migrations/20261126100000_product_shares/migration.sql", "utf8");
    const backfill = sql.slice(sql.indexOf('INSERT INTO "product_shares"'));
    const bucket = await alicesBucket({ BucketName: "", S3UserARNs: [ANALYST, arnOf("bob@example.org")], RestrictSameRegionDownload: "true" });
    await services.db.productShare.deleteMany({ where: { provisionedProductId: bucket.id } });
    await services.db.$executeRawUnsafe(backfill);
    const rows = await services.db.productShare.findMany({ where: { provisionedProductId: bucket.id } });
    expect(rows.map((r) => r.principalArn).sort()).toEqual([ANALYST, arnOf("bob@example.org")].sort());
    // Text as AWS returns it ("a,b") is split the same way; running it twice adds nothing.
    await services.db.provisionedProduct.update({ where: { id: bucket.id }, data: { parameters: { BucketName: "", S3UserARNs: `${ANALYST}, ${PARTNER_ROLE}` } } });
    await services.db.productShare.deleteMany({ where: { provisionedProductId: bucket.id } });
    await services.db.$executeRawUnsafe(backfill);
    await services.db.$executeRawUnsafe(backfill);
    expect((await services.db.productShare.findMany({ where: { provisionedProductId: bucket.id } })).map((r) => r.principalArn).sort()).toEqual([ANALYST, PARTNER_ROLE].sort());
  });

  it("a transfer to someone it was shared with takes them off the list; the policy names them once, as owner", async () => {
    const transfers = await import("@/lib/services/transfers");
    const bobArn = arnOf("bob@example.org");
    const bucket = await alicesBucket({ BucketName: "", S3UserARNs: [ANALYST, bobArn], RestrictSameRegionDownload: "true" });
    const started = await transfers.startTransfer(as(people.admin), bucket.id, people.bob.id);
    const deadline = Date.now() + 20_000;
    while ((await transfers.advanceTransfer(started.id)) === "wait") {
      if (Date.now() > deadline) throw new Error("transfer still running");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await services.db.ownershipTransfer.findUniqueOrThrow({ where: { id: started.id } })).status).toBe("SUCCEEDED");
    expect(await policyPrincipals(bucket.id)).toEqual([bobArn, ANALYST].sort());
    const view = await services.sharing.getSharing(as(people.bob), bucket.id);
    expect(view.owner.arn).toBe(bobArn);
    expect(view.principals.map((p) => p.arn)).toEqual([ANALYST]);
    expect((await services.db.productShare.findMany({ where: { provisionedProductId: bucket.id } })).map((r) => r.principalArn)).toEqual([ANALYST]);
    expect((await services.sharing.listSharedWithMe(people.bob)).items.map((s) => s.id)).not.toContain(bucket.id);
  });

  it("showing who has access asks AWS nothing: the product's parameters name the sharing parameter", async () => {
    const bucket = await alicesBucket({ BucketName: "", S3UserARNs: [ANALYST], RestrictSameRegionDownload: "true" });
    await resetCalls(backend);
    const view = await services.sharing.getSharing(as(people.alice), bucket.id);
    expect(view.principals.map((p) => p.arn)).toEqual([ANALYST]);
    expect((await emulatorCalls(backend)).total).toBe(0);
  });

  it("the product page reads its view and Sharing panel in 2 queries, the same panel the sharing API shows; none for a template without sharing", async () => {
    const bobArn = arnOf("bob@example.org");
    const bucket = await alicesBucket({ BucketName: "", S3UserARNs: [bobArn, ANALYST], RestrictSameRegionDownload: "true" });
    await resetCalls(backend);
    const { result: page, queries } = await countQueries(() => services.sharing.getProductPage(as(people.alice), bucket.id));
    expect(queries).toBe(2);
    expect(page.view).toEqual(await services.products.getProductView(people.alice, bucket.id));
    expect(page.sharing).toEqual(await services.sharing.getSharing(as(people.alice), bucket.id));
    expect(page.sharing!.owner).toMatchObject({ arn: arnOf("alice@example.org"), person: { email: "alice@example.org" } });
    expect(page.sharing!.principals.map((p) => [p.arn, p.person?.email ?? null])).toEqual([[bobArn, "bob@example.org"], [ANALYST, null]]);
    // An administrator sees the same panel; bob, only shared with, does not see the product.
    expect((await services.sharing.getProductPage(as(people.admin), bucket.id)).sharing).toEqual(page.sharing);
    expect((await rejection(services.sharing.getProductPage(as(people.bob), bucket.id))).status).toBe(404);
    expect((await emulatorCalls(backend)).total).toBe(0);

    const instance = await settle((await services.provisioning.launchProduct(as(people.alice), instanceRequest(ids))).id);
    const plain = await services.sharing.getProductPage(as(people.alice), instance.id);
    expect(plain.sharing).toBeNull();
    expect(plain.view.id).toBe(instance.id);
  });

  it("is not listed under Shared with me for whoever now owns it", async () => {
    const bucket = await alicesBucket({ BucketName: "", S3UserARNs: [arnOf("bob@example.org")], RestrictSameRegionDownload: "true" });
    expect((await services.sharing.listSharedWithMe(people.bob)).items.map((s) => s.id)).toContain(bucket.id);
    await services.db.provisionedProduct.update({ where: { id: bucket.id }, data: { ownerId: people.bob.id } });
    expect((await services.sharing.listSharedWithMe(people.bob)).items.map((s) => s.id)).not.toContain(bucket.id);
  });

  it("allows an account on the allow-list and refuses others, naming the account, with no AWS call", async () => {
    const bucket = await alicesBucket();
    await share(people.alice, bucket.id, [PARTNER_ROLE]);
    expect(await policyPrincipals(bucket.id)).toEqual([arnOf("alice@example.org"), PARTNER_ROLE].sort());
    expect((await services.sharing.getSharing(as(people.alice), bucket.id)).principals[0]).toMatchObject({ account: PARTNER, otherAccount: true });

    await resetCalls(backend);
    const refused = await rejection(services.sharing.applySharing(as(people.alice), bucket.id, { principals: [PARTNER_ROLE, "arn:aws:iam::999999999999:user/mallory"] }));
    expect(refused.status).toBe(422);
    expect(refused.issues).toEqual([{ path: "principals.1", message: expect.stringContaining("is in account 999999999999, which this portal does not share with") }]);
    expect((await emulatorCalls(backend)).total).toBe(0);
  });

  it("refuses more principals than the bucket policy holds, saying how many fit", async () => {
    const { maxSharedPrincipals } = await import("@/lib/domain/sharing");
    const many = Array.from({ length: maxSharedPrincipals() + 1 }, (_, i) => `arn:aws:iam::${OWN}:user/u${i}`);
    await resetCalls(backend);
    const launch = await rejection(services.provisioning.launchProduct(as(people.alice), bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: many, RestrictSameRegionDownload: "true" } })));
    expect(launch.status).toBe(422);
    expect(launch.issues).toContainEqual({ path: "parameters.S3UserARNs", message: expect.stringContaining(`at most ${maxSharedPrincipals()} principals fit`) });
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
  });
});

describe("the server refuses bad sharing entries with 422 and no AWS call", () => {
  const BAD: [string, string, RegExp][] = [
    ["account root", `arn:aws:iam::${OWN}:root`, /root of account/],
    ["wildcard", `arn:aws:iam::${OWN}:role/*`, /wildcards/],
    ["bucket ARN", "arn:aws:s3:::someone-elses-bucket", /S3 bucket ARN is not a principal/],
    ["outside the allow-list", "arn:aws:iam::999999999999:role/x", /account 999999999999/],
    ["the owner's own principal", arnOf("alice@example.org"), /is the owner/],
  ];
  let bucketId: string;
  beforeAll(async () => {
    bucketId = (await alicesBucket()).id;
  });

  it.each(BAD)("on launch: %s", async (_, entry, message) => {
    await resetCalls(backend);
    const error = await rejection(services.provisioning.launchProduct(as(people.alice), bucketRequest(ids, { parameters: { BucketName: "", S3UserARNs: [ANALYST, entry], RestrictSameRegionDownload: "true" } })));
    expect(error.status).toBe(422);
    expect(error.issues).toContainEqual({ path: "parameters.S3UserARNs.1", message: expect.stringMatching(message) });
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
  });

  it.each(BAD)("on update and preview: %s", async (_, entry, message) => {
    const row = await services.db.provisionedProduct.findUniqueOrThrow({ where: { id: bucketId } });
    const body = { provisioningArtifactId: row.provisioningArtifactId, parameters: { BucketName: "", S3UserARNs: [entry], RestrictSameRegionDownload: "true" } };
    await resetCalls(backend);
    for (const call of [services.provisioning.updateProduct, services.provisioning.previewUpdate]) {
      const error = await rejection(call(as(people.alice), bucketId, body));
      expect(error.status).toBe(422);
      expect(error.issues).toContainEqual({ path: "parameters.S3UserARNs.0", message: expect.stringMatching(message) });
    }
    const sharing = await rejection(services.sharing.applySharing(as(people.alice), bucketId, { principals: [entry] }));
    expect(sharing.status).toBe(422);
    expect(sharing.issues).toContainEqual({ path: "principals.0", message: expect.stringMatching(message) });
    const calls = await emulatorCalls(backend);
    expect(calls.byOperation["servicecatalog:UpdateProvisionedProduct"] ?? 0).toBe(0);
    expect(calls.byOperation["servicecatalog:CreateProvisionedProductPlan"] ?? 0).toBe(0);
  });
});
