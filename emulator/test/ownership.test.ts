import {
  CreateProvisionedProductPlanCommand,
  DescribeProductCommand,
  DescribeProvisionedProductCommand,
  DescribeProvisionedProductPlanCommand,
  DescribeRecordCommand,
  ListRecordHistoryCommand,
  ProvisionProductCommand,
  SearchProvisionedProductsCommand,
  TerminateProvisionedProductCommand,
  UpdateProvisionedProductCommand,
  UpdateProvisionedProductPropertiesCommand,
  type ProvisioningParameter,
  type Tag,
} from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { ADMIN_ROLE, assume, control, failure, productsByName, start, waitForRecord, type Session } from "./helpers";

/**
 * An administrator moves a provisioned product to another person: UpdateProvisionedProductProperties
 * (OWNER), then an update that rewrites the owner-bound parameter and the reserved tags. What AWS
 * documents for it: the previous owner loses the product and DescribeRecord but keeps, in
 * ListRecordHistory, the records of their time; tags change only where a RESOURCE_UPDATE
 * constraint allows it.
 */
let emulator: RunningEmulator;
let alice: Session;
let bob: Session;
let admin: Session;
let products: Record<string, string>;
const artifacts: Record<string, Record<string, string>> = {};
let counter = 0;

function token(): string {
  counter += 1;
  return `own-${Date.now()}-${counter}`;
}

const USER = { Key: "User", Value: "Self" } as const;
const ANALYST = "arn:aws:iam::123456789012:role/Analyst";

beforeAll(async () => {
  emulator = await start();
  alice = await assume(emulator, "alice");
  bob = await assume(emulator, "bob");
  admin = await assume(emulator, "admin", ADMIN_ROLE);
  products = await productsByName(alice.sc);
  for (const [name, id] of Object.entries(products)) {
    const product = await alice.sc.send(new DescribeProductCommand({ Id: id }));
    artifacts[name] = Object.fromEntries(product.ProvisioningArtifacts!.map((a) => [a.Name!, a.Id!]));
  }
});
beforeEach(async () => {
  await control(emulator, "POST", "reset");
});
afterAll(() => emulator.close());

function launch(session: Session, product: string, name: string, parameters: ProvisioningParameter[], tags: Tag[] = []) {
  const version = product === "EC2 Linux Instance" ? "v1.1.0" : "v1.0.0";
  return session.sc.send(
    new ProvisionProductCommand({ ProductId: products[product], ProvisioningArtifactId: artifacts[product]![version], ProvisionedProductName: name, ProvisionToken: token(), ProvisioningParameters: parameters, Tags: tags }),
  );
}

async function transfer(id: string, owner: string) {
  const result = await admin.sc.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: owner }, IdempotencyToken: token() }));
  expect((await waitForRecord(admin.sc, result.RecordId!)).Status).toBe("SUCCEEDED");
  return result.RecordId!;
}

async function state() {
  return control(emulator, "GET", "state");
}

describe("records after an owner change", () => {
  it("the previous owner can no longer DescribeRecord but still lists the records of their time; the new owner describes and lists them all", async () => {
    const launched = await launch(alice, "EC2 Linux Instance", "moving-vm", [], [{ Key: "Schedule", Value: "office-hours" }]);
    const id = launched.RecordDetail!.ProvisionedProductId!;
    const provisioned = (await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!)).RecordId!;
    const updated = await alice.sc.send(new UpdateProvisionedProductCommand({ ProvisionedProductId: id, ProvisioningParameters: [{ Key: "VolumeSize", Value: "40" }], UpdateToken: token() }));
    await waitForRecord(alice.sc, updated.RecordDetail!.RecordId!);
    const transferred = await transfer(id, bob.arn);

    for (const record of [provisioned, updated.RecordDetail!.RecordId!, transferred]) {
      expect((await failure(alice.sc.send(new DescribeRecordCommand({ Id: record })))).name).toBe("ResourceNotFoundException");
      expect((await bob.sc.send(new DescribeRecordCommand({ Id: record }))).RecordDetail?.RecordId).toBe(record);
    }
    const afterwards = await bob.sc.send(new UpdateProvisionedProductCommand({ ProvisionedProductId: id, ProvisioningParameters: [{ Key: "VolumeSize", Value: "50" }], UpdateToken: token() }));
    await waitForRecord(bob.sc, afterwards.RecordDetail!.RecordId!);

    const alicesHistory = await alice.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: USER }));
    expect(alicesHistory.RecordDetails?.map((r) => r.RecordId)).toEqual([transferred, updated.RecordDetail!.RecordId, provisioned]);
    const filtered = await alice.sc.send(new ListRecordHistoryCommand({ SearchFilter: { Key: "provisionedproduct", Value: id } }));
    expect(filtered.RecordDetails).toHaveLength(3);
    const bobsHistory = await bob.sc.send(new ListRecordHistoryCommand({}));
    expect(bobsHistory.RecordDetails?.map((r) => r.RecordType)).toEqual([
      "UPDATE_PROVISIONED_PRODUCT",
      "UPDATE_PROVISIONED_PRODUCT_PROPERTIES",
      "UPDATE_PROVISIONED_PRODUCT",
      "PROVISION_PRODUCT",
    ]);
  });

  it("the previous owner's sessions no longer find the product with AccessLevelFilter User; the new owner's do", async () => {
    const launched = await launch(alice, "EC2 Linux Instance", "listed-vm", [], [{ Key: "Schedule", Value: "office-hours" }]);
    const id = launched.RecordDetail!.ProvisionedProductId!;
    await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!);
    const laterAliceSession = await assume(emulator, "alice");
    expect((await laterAliceSession.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER }))).ProvisionedProducts?.map((p) => p.Id)).toEqual([id]);

    await transfer(id, bob.arn);
    for (const session of [alice, laterAliceSession]) {
      expect((await session.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER }))).ProvisionedProducts).toEqual([]);
      expect((await failure(session.sc.send(new DescribeProvisionedProductCommand({ Id: id })))).name).toBe("ResourceNotFoundException");
    }
    const bobs = await bob.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER }));
    expect(bobs.ProvisionedProducts?.map((p) => [p.Id, p.UserArn, p.UserArnSession])).toEqual([[id, bob.arn, bob.arn]]);
  });
});

describe("UpdateProvisionedProductProperties", () => {
  it("returns a CREATED record that completes; the product is UNDER_CHANGE meanwhile and the owner changes when it succeeds; the token replays it", async () => {
    // An owner change stays in progress min(updateMs, 1 s): long enough to look at it meanwhile.
    const slow = await start({ timings: { provisionMs: 60, updateMs: 20_000, terminateMs: 60 } });
    try {
      const carol = await assume(slow, "carol");
      const dave = await assume(slow, "dave");
      const boss = await assume(slow, "boss", ADMIN_ROLE);
      const ids = await productsByName(carol.sc);
      const v110 = (await carol.sc.send(new DescribeProductCommand({ Id: ids["EC2 Linux Instance"] }))).ProvisioningArtifacts!.find((a) => a.Name === "v1.1.0")!.Id;
      const launched = await carol.sc.send(
        new ProvisionProductCommand({ ProductId: ids["EC2 Linux Instance"], ProvisioningArtifactId: v110, ProvisionedProductName: "carol-vm", ProvisionToken: "carol-vm", Tags: [{ Key: "Schedule", Value: "always-on" }] }),
      );
      const id = launched.RecordDetail!.ProvisionedProductId!;
      await waitForRecord(carol.sc, launched.RecordDetail!.RecordId!);

      const request = { ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: dave.arn }, IdempotencyToken: "move-carol-vm" };
      const result = await boss.sc.send(new UpdateProvisionedProductPropertiesCommand(request));
      expect(result).toMatchObject({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: dave.arn }, Status: "CREATED" });
      const during = await boss.sc.send(new DescribeProvisionedProductCommand({ Id: id }));
      expect(during.ProvisionedProductDetail).toMatchObject({ Status: "UNDER_CHANGE", LastRecordId: result.RecordId });
      expect((await boss.sc.send(new DescribeRecordCommand({ Id: result.RecordId }))).RecordDetail).toMatchObject({ RecordType: "UPDATE_PROVISIONED_PRODUCT_PROPERTIES", ProvisionedProductId: id });
      const again = await failure(boss.sc.send(new UpdateProvisionedProductPropertiesCommand({ ...request, IdempotencyToken: "move-carol-vm-again" })));
      expect(again.name).toBe("InvalidStateException");
      const replay = await boss.sc.send(new UpdateProvisionedProductPropertiesCommand(request));
      expect(replay.RecordId).toBe(result.RecordId);

      const done = await waitForRecord(boss.sc, result.RecordId!);
      expect(done.Status).toBe("SUCCEEDED");
      expect((await boss.sc.send(new DescribeProvisionedProductCommand({ Id: id }))).ProvisionedProductDetail?.Status).toBe("AVAILABLE");
      expect((await dave.sc.send(new DescribeProvisionedProductCommand({ Id: id }))).ProvisionedProductDetail?.Id).toBe(id);
      expect((await boss.sc.send(new UpdateProvisionedProductPropertiesCommand(request))).Status).toBe("SUCCEEDED");
    } finally {
      await slow.close();
    }
  });

  it("is for administrators only and takes as OWNER an IAM user, role or STS session ARN of the same account", async () => {
    const launched = await launch(alice, "EC2 Linux Instance", "owned-vm", [], [{ Key: "Schedule", Value: "office-hours" }]);
    const id = launched.RecordDetail!.ProvisionedProductId!;
    await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!);
    const send = (session: Session, properties: Record<string, string>, productId = id) =>
      session.sc.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: productId, ProvisionedProductProperties: properties as never, IdempotencyToken: token() }));

    const denied = await failure(send(alice, { OWNER: bob.arn }));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain("not authorized to perform: servicecatalog:UpdateProvisionedProductProperties");
    for (const owner of ["arn:aws:iam::123456789012:root", "arn:aws:sts::123456789012:user/bob", "arn:aws:iam::123456789012:group/Researchers", "bob@example.org", "arn:aws:sts::999999999999:assumed-role/ServiceCatalogEndusers/bob"]) {
      const refused = await failure(send(admin, { OWNER: owner }));
      expect([owner, refused.name]).toEqual([owner, "InvalidParametersException"]);
    }
    expect((await failure(send(admin, { LAUNCH_ROLE: "arn:aws:iam::123456789012:user/bob" }))).name).toBe("InvalidParametersException");
    expect((await failure(send(admin, { COLOR: "blue" }))).name).toBe("InvalidParametersException");
    expect((await failure(send(admin, {}))).name).toBe("InvalidParametersException");
    expect((await failure(send(admin, { OWNER: bob.arn }, "pp-doesnotexist1"))).name).toBe("ResourceNotFoundException");
    expect((await state()).records.filter((r: { RecordType: string }) => r.RecordType === "UPDATE_PROVISIONED_PRODUCT_PROPERTIES")).toEqual([]);

    for (const owner of ["arn:aws:iam::123456789012:user/bob", "arn:aws:iam::123456789012:role/team/Analyst", bob.arn]) await transfer(id, owner);
    expect((await admin.sc.send(new DescribeProvisionedProductCommand({ Id: id }))).ProvisionedProductDetail?.Status).toBe("AVAILABLE");
  });
});

describe("terminating twice", () => {
  it("replays the TerminateToken only during the termination; once the product is terminated, terminating it again is ResourceNotFoundException", async () => {
    const launched = await launch(alice, "EC2 Linux Instance", "twice-vm", [], [{ Key: "Schedule", Value: "office-hours" }]);
    const id = launched.RecordDetail!.ProvisionedProductId!;
    await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!);
    const request = { ProvisionedProductId: id, TerminateToken: "terminate-twice-vm" };
    const first = await alice.sc.send(new TerminateProvisionedProductCommand(request));
    const during = await alice.sc.send(new TerminateProvisionedProductCommand(request));
    expect(during.RecordDetail?.RecordId).toBe(first.RecordDetail?.RecordId);
    expect((await waitForRecord(alice.sc, first.RecordDetail!.RecordId!)).Status).toBe("SUCCEEDED");

    const sameToken = await failure(alice.sc.send(new TerminateProvisionedProductCommand(request)));
    expect(sameToken.name).toBe("ResourceNotFoundException");
    const newToken = await failure(alice.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: id, TerminateToken: token() })));
    expect(newToken.name).toBe("ResourceNotFoundException");
    // The records stay ("This operation does not delete any records").
    expect((await alice.sc.send(new DescribeRecordCommand({ Id: first.RecordDetail!.RecordId }))).RecordDetail?.RecordType).toBe("TERMINATE_PROVISIONED_PRODUCT");
  });
});

describe("owner-bound parameters and tags on transfer", () => {
  it("rewrites OwnerPrincipalArn in place: the plan changes only the bucket policy, which then names the new owner and the shared principals, not the old owner", async () => {
    const launched = await launch(
      alice,
      "S3 Private Encrypted Bucket",
      "moving-bucket",
      [
        { Key: "OwnerPrincipalArn", Value: alice.arn },
        { Key: "S3UserARNs", Value: ANALYST },
      ],
      [{ Key: "OwnerEmail", Value: "alice@example.org" }],
    );
    const id = launched.RecordDetail!.ProvisionedProductId!;
    const bucketName = (await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!)).outputs.BucketName!;
    const before = (await state()).resources.buckets.find((b: { name: string }) => b.name === bucketName);
    expect(before.principals).toEqual([alice.arn, ANALYST]);

    await transfer(id, bob.arn);
    const planned = await admin.sc.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: "rewrite-owner",
        PlanType: "CLOUDFORMATION",
        ProductId: products["S3 Private Encrypted Bucket"],
        ProvisioningArtifactId: artifacts["S3 Private Encrypted Bucket"]!["v1.0.0"],
        ProvisionedProductName: "moving-bucket",
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: bob.arn }],
        IdempotencyToken: token(),
      }),
    );
    let plan = await admin.sc.send(new DescribeProvisionedProductPlanCommand({ PlanId: planned.PlanId }));
    for (let i = 0; i < 100 && plan.ProvisionedProductPlanDetails?.Status !== "CREATE_SUCCESS"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      plan = await admin.sc.send(new DescribeProvisionedProductPlanCommand({ PlanId: planned.PlanId }));
    }
    expect(plan.ResourceChanges).toEqual([
      {
        Action: "MODIFY",
        LogicalResourceId: "S3BucketPolicy",
        PhysicalResourceId: bucketName,
        ResourceType: "AWS::S3::BucketPolicy",
        Replacement: "FALSE",
        Scope: ["PROPERTIES"],
        Details: [{ Target: { Attribute: "PROPERTIES", Name: "PolicyDocument", RequiresRecreation: "NEVER" }, Evaluation: "STATIC", CausingEntity: "OwnerPrincipalArn" }],
      },
    ]);

    const update = await admin.sc.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductId: id,
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: bob.arn }],
        Tags: [{ Key: "OwnerEmail", Value: "bob@example.org" }],
        UpdateToken: token(),
      }),
    );
    expect((await waitForRecord(admin.sc, update.RecordDetail!.RecordId!)).Status).toBe("SUCCEEDED");
    const world = await state();
    expect(world.resources.buckets).toHaveLength(1);
    const after = world.resources.buckets[0];
    expect(after).toMatchObject({ name: bucketName, createdAt: before.createdAt, stackId: before.stackId, retained: false });
    expect(after.principals).toEqual([bob.arn, ANALYST]);
    expect(JSON.stringify(after.policy)).not.toContain(alice.arn);
    // The private bucket's RESOURCE_UPDATE constraint allows tag updates: the reserved tag follows.
    expect(after.tags).toContainEqual({ Key: "OwnerEmail", Value: "bob@example.org" });
    const pp = world.provisionedProducts.find((p: { Id: string }) => p.Id === id);
    expect(pp.Tags).toContainEqual({ Key: "OwnerEmail", Value: "bob@example.org" });
    expect(pp.parameters.OwnerPrincipalArn).toBe(bob.arn);
    expect((await bob.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER }))).ProvisionedProducts?.map((p) => p.Id)).toEqual([id]);
  });

  it("ignores tag changes on update where no RESOURCE_UPDATE constraint allows them (Synapse bucket), still applying the parameters", async () => {
    const launched = await launch(
      alice,
      "S3 Synapse Bucket",
      "synapse-bucket",
      [
        { Key: "OwnerPrincipalArn", Value: alice.arn },
        { Key: "SynapseUserName", Value: "alice.smith" },
      ],
      [{ Key: "OwnerEmail", Value: "alice@example.org" }],
    );
    const id = launched.RecordDetail!.ProvisionedProductId!;
    await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!);
    await transfer(id, bob.arn);

    const malformed = await failure(
      admin.sc.send(new UpdateProvisionedProductCommand({ ProvisionedProductId: id, Tags: [{ Key: "OwnerEmail", Value: "bob;drop" }], UpdateToken: token() })),
    );
    expect(malformed.name).toBe("InvalidParametersException");
    const update = await admin.sc.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductId: id,
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: bob.arn }],
        Tags: [{ Key: "OwnerEmail", Value: "bob@example.org" }],
        UpdateToken: token(),
      }),
    );
    const done = await waitForRecord(admin.sc, update.RecordDetail!.RecordId!);
    expect(done.Status).toBe("SUCCEEDED");
    expect(done.RecordTags).toContainEqual({ Key: "OwnerEmail", Value: "alice@example.org" });
    const world = await state();
    const bucket = world.resources.buckets[0];
    expect(bucket.principals).toEqual([bob.arn, "arn:aws:iam::325565585839:root"]);
    expect(bucket.tags).toContainEqual({ Key: "OwnerEmail", Value: "alice@example.org" });
    expect(bucket.tags).not.toContainEqual({ Key: "OwnerEmail", Value: "bob@example.org" });
    expect(world.provisionedProducts[0].Tags).toEqual([
      { Key: "OwnerEmail", Value: "alice@example.org" },
      { Key: "ManagedBy", Value: "Quartermaster" },
    ]);
  });
});

describe("SearchProvisionedProducts' AccessLevelFilter", () => {
  it("defaults to Account, as AWS documents: an end user must ask for User, an administrator sees every product", async () => {
    for (const [session, name] of [
      [alice, "alice-vm"],
      [bob, "bob-vm"],
    ] as const) {
      await waitForRecord(session.sc, (await launch(session, "EC2 Linux Instance", name, [], [{ Key: "Schedule", Value: "office-hours" }])).RecordDetail!.RecordId!);
    }
    const refused = await failure(alice.sc.send(new SearchProvisionedProductsCommand({})));
    expect(refused.name).toBe("AccessDeniedException");
    expect(refused.message).toContain("with AccessLevelFilter Account");
    const everything = await admin.sc.send(new SearchProvisionedProductsCommand({}));
    expect(everything.ProvisionedProducts?.map((p) => p.Name).sort()).toEqual(["alice-vm", "bob-vm"]);
    expect(everything.TotalResultsCount).toBe(2);
    const createdTime = await failure(admin.sc.send(new SearchProvisionedProductsCommand({ SortBy: "createdTime" })));
    expect(createdTime.name).toBe("InvalidParametersException");
    const oddValue = await failure(alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "bob" } })));
    expect(oddValue.name).toBe("InvalidParametersException");
  });
});
