import {
  DescribeProductCommand,
  DescribeProvisionedProductCommand,
  DescribeRecordCommand,
  GetProvisionedProductOutputsCommand,
  ListRecordHistoryCommand,
  ProvisionProductCommand,
  ScanProvisionedProductsCommand,
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

let emulator: RunningEmulator;
let alice: Session;
let bob: Session;
let admin: Session;
let products: Record<string, string>;
const artifacts: Record<string, Record<string, string>> = {};
let counter = 0;

function token(): string {
  counter += 1;
  return `token-${Date.now()}-${counter}`;
}

beforeAll(async () => {
  emulator = await start();
  alice = await assume(emulator, "alice", undefined, [{ Key: "OwnerEmail", Value: "alice@example.org" }]);
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

const SCHEDULE: Tag[] = [{ Key: "Schedule", Value: "office-hours" }];
const USER = { Key: "User", Value: "Self" } as const;

function provisionEc2(session: Session, name: string, parameters: ProvisioningParameter[] = [], tags: Tag[] = SCHEDULE, provisionToken = token()) {
  return session.sc.send(
    new ProvisionProductCommand({
      ProductId: products["EC2 Linux Instance"],
      ProvisioningArtifactId: artifacts["EC2 Linux Instance"]!["v1.1.0"],
      ProvisionedProductName: name,
      ProvisionToken: provisionToken,
      ProvisioningParameters: parameters,
      Tags: tags,
    }),
  );
}

/** A bucket owned (OwnerPrincipalArn) by the session launching it, as the portal launches one. */
function provisionBucket(session: Session, name: string, parameters: ProvisioningParameter[] = [], product = "S3 Private Encrypted Bucket") {
  return session.sc.send(
    new ProvisionProductCommand({
      ProductId: products[product],
      ProvisioningArtifactId: artifacts[product]!["v1.0.0"],
      ProvisionedProductName: name,
      ProvisionToken: token(),
      ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: session.arn }, ...parameters],
    }),
  );
}

async function state() {
  return control(emulator, "GET", "state");
}

describe("provisioning an EC2 instance", () => {
  it("goes CREATED -> IN_PROGRESS -> SUCCEEDED while the product goes UNDER_CHANGE -> AVAILABLE, with outputs and a real-shaped instance", async () => {
    const slow = await start({ timings: { provisionMs: 400, updateMs: 400, terminateMs: 400 } });
    try {
      const carol = await assume(slow, "carol");
      const ids = await productsByName(carol.sc);
      const product = await carol.sc.send(new DescribeProductCommand({ Id: ids["EC2 Linux Instance"] }));
      const v110 = product.ProvisioningArtifacts!.find((a) => a.Name === "v1.1.0")!.Id;
      const { RecordDetail: created } = await carol.sc.send(
        new ProvisionProductCommand({
          ProductId: ids["EC2 Linux Instance"],
          ProvisioningArtifactId: v110,
          ProvisionedProductName: "carol-vm",
          ProvisionToken: "carol-vm-1",
          ProvisioningParameters: [{ Key: "EC2InstanceType", Value: "m6a.large" }],
          Tags: SCHEDULE,
        }),
      );
      expect(created).toMatchObject({ Status: "CREATED", RecordType: "PROVISION_PRODUCT", ProvisionedProductName: "carol-vm", ProvisionedProductType: "CFN_STACK" });
      expect(created!.RecordId).toMatch(/^rec-[a-z0-9]{13}$/);
      expect(created!.ProvisionedProductId).toMatch(/^pp-[a-z0-9]{13}$/);
      expect(created!.RecordTags).toEqual([{ Key: "Schedule", Value: "office-hours" }, { Key: "ManagedBy", Value: "Quartermaster" }]);
      const during = await carol.sc.send(new DescribeProvisionedProductCommand({ Id: created!.ProvisionedProductId }));
      expect(during.ProvisionedProductDetail?.Status).toBe("UNDER_CHANGE");
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await carol.sc.send(new DescribeRecordCommand({ Id: created!.RecordId }))).RecordDetail?.Status).toBe("IN_PROGRESS");

      const done = await waitForRecord(carol.sc, created!.RecordId!);
      expect(done.Status).toBe("SUCCEEDED");
      const instanceId = done.outputs.EC2InstanceId!;
      expect(instanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(done.outputs.ConnectionURI).toBe(`https://us-east-1.console.aws.amazon.com/systems-manager/session-manager/${instanceId}?region=us-east-1`);
      expect(done.outputs.EC2ConsoleURI).toContain(`instanceId=${instanceId}`);
      expect(done.outputs.EC2InstancePrivateIpAddress).toMatch(/^172\.31\.\d+\.\d+$/);
      expect(done.outputs.CloudformationStackARN).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/SC-123456789012-pp-/);

      const detail = await carol.sc.send(new DescribeProvisionedProductCommand({ Name: "carol-vm" }));
      expect(detail.ProvisionedProductDetail).toMatchObject({
        Status: "AVAILABLE",
        Arn: `arn:aws:servicecatalog:us-east-1:123456789012:stack/carol-vm/${created!.ProvisionedProductId}`,
        LastSuccessfulProvisioningRecordId: created!.RecordId,
        LaunchRoleArn: "arn:aws:iam::123456789012:role/SCLaunchRole",
      });
      const outputs = await carol.sc.send(new GetProvisionedProductOutputsCommand({ ProvisionedProductName: "carol-vm", OutputKeys: ["EC2InstanceId"] }));
      expect(outputs.Outputs).toEqual([{ OutputKey: "EC2InstanceId", OutputValue: instanceId, Description: "The ID of the instance." }]);

      const world = await control(slow, "GET", "state");
      const instance = world.resources.instances.find((i: { instanceId: string }) => i.instanceId === instanceId);
      expect(instance).toMatchObject({ instanceType: "m6a.large", state: "running", volumeSize: 30, volumeType: "gp3", imageId: "ami-0c02fb55956c7d316" });
      const tags = Object.fromEntries(instance.tags.map((t: Tag) => [t.Key, t.Value]));
      expect(tags).toMatchObject({
        Name: expect.stringMatching(/^SC-123456789012-pp-/),
        Schedule: "office-hours",
        ManagedBy: "Quartermaster",
        "aws:servicecatalog:provisioningPrincipalArn": "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/carol",
        "aws:cloudformation:logical-id": "EC2Instance",
      });
      const pp = world.provisionedProducts.find((p: { Id: string }) => p.Id === created!.ProvisionedProductId);
      expect(pp.provisioningPrincipal).toMatchObject({ arn: carol.arn, sourceIdentity: "carol@example.org" });
    } finally {
      await slow.close();
    }
  });

  it("honours the ProvisionToken: the same token returns the same record and launches once", async () => {
    const first = await provisionEc2(alice, "alice-vm", [], SCHEDULE, "same-token");
    const again = await provisionEc2(alice, "alice-vm", [], SCHEDULE, "same-token");
    expect(again.RecordDetail?.RecordId).toBe(first.RecordDetail?.RecordId);
    await waitForRecord(alice.sc, first.RecordDetail!.RecordId!);
    const replay = await provisionEc2(alice, "alice-vm", [], SCHEDULE, "same-token");
    expect(replay.RecordDetail).toMatchObject({ RecordId: first.RecordDetail!.RecordId, Status: "SUCCEEDED" });
    expect((await state()).provisionedProducts).toHaveLength(1);
  });

  const invalid: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    ["a volume below MinValue", () => provisionEc2(alice, "vm", [{ Key: "VolumeSize", Value: "10" }]), "InvalidParametersException", /^Parameter 'VolumeSize' must be a whole number of GiB from 30 to 5000\.$/],
    ["a non-numeric volume", () => provisionEc2(alice, "vm", [{ Key: "VolumeSize", Value: "lots" }]), "InvalidParametersException", /Parameter 'VolumeSize'/],
    ["an instance type outside AllowedValues", () => provisionEc2(alice, "vm", [{ Key: "EC2InstanceType", Value: "p5.48xlarge" }]), "InvalidParametersException", /^Parameter 'EC2InstanceType' must be one of the listed/],
    ["an unknown parameter", () => provisionEc2(alice, "vm", [{ Key: "KeyName", Value: "mine" }]), "InvalidParametersException", /^Parameters: \[KeyName\] do not exist in the template$/],
    ["a bucket name breaking S3 rules", () => provisionBucket(alice, "b", [{ Key: "BucketName", Value: "My_Bucket" }]), "InvalidParametersException", /^Parameter 'BucketName' must be empty or 3-63 lowercase/],
    ["a missing required parameter", () => provisionBucket(alice, "b", [], "S3 Synapse Bucket"), "InvalidParametersException", /^Parameters: \[SynapseUserName\] must have values$/],
    ["an invalid RestrictSameRegionDownload", () => provisionBucket(alice, "b", [{ Key: "RestrictSameRegionDownload", Value: "maybe" }]), "InvalidParametersException", /^Parameter 'RestrictSameRegionDownload' must be one of AllowedValues$/],
    ["a name with a space", () => provisionEc2(alice, "my vm"), "InvalidParametersException", /at 'provisionedProductName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ["a name starting with a dot", () => provisionEc2(alice, ".vm"), "InvalidParametersException", /provisionedProductName/],
    ["a name over 128 characters", () => provisionEc2(alice, "v".repeat(129)), "InvalidParametersException", /length less than or equal to 128/],
    ["51 tags", () => provisionEc2(alice, "vm", [], [...SCHEDULE, ...Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }))]), "InvalidParametersException", /at 'tags' .*less than or equal to 50/],
    ["an aws: tag", () => provisionEc2(alice, "vm", [], [...SCHEDULE, { Key: "aws:owner", Value: "me" }]), "InvalidParametersException", /'aws:owner'.*reserved/],
    ["a tag value with a forbidden character", () => provisionEc2(alice, "vm", [], [...SCHEDULE, { Key: "Project", Value: "a;b" }]), "InvalidParametersException", /tags.2.member.value/],
    ["an empty tag value", () => provisionEc2(alice, "vm", [], [...SCHEDULE, { Key: "Project", Value: "" }]), "InvalidParametersException", /length greater than or equal to 1/],
    ["a duplicate tag key", () => provisionEc2(alice, "vm", [], [...SCHEDULE, { Key: "Project", Value: "a" }, { Key: "Project", Value: "b" }]), "InvalidParametersException", /more than once/],
    ["a missing multi-valued TagOption", () => provisionEc2(alice, "vm", [], []), "InvalidParametersException", /TagOption key 'Schedule' requires a value/],
    ["a value outside the TagOption", () => provisionEc2(alice, "vm", [], [{ Key: "Schedule", Value: "weekends" }]), "InvalidParametersException", /not allowed for TagOption key 'Schedule'/],
    [
      "the deprecated version",
      () =>
        alice.sc.send(
          new ProvisionProductCommand({ ProductId: products["EC2 Linux Instance"], ProvisioningArtifactId: artifacts["EC2 Linux Instance"]!["v1.0.0"], ProvisionedProductName: "old", ProvisionToken: token(), Tags: SCHEDULE }),
        ),
      "InvalidParametersException",
      /deprecated/,
    ],
    ["an unknown product", () => alice.sc.send(new ProvisionProductCommand({ ProductId: "prod-nope", ProvisioningArtifactId: "pa-nope", ProvisionedProductName: "x", ProvisionToken: token() })), "ResourceNotFoundException", /Product not found/],
  ];
  it.each(invalid)("refuses %s", async (_label, call, code, message) => {
    const error = await failure(call());
    expect(error.name).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await state()).provisionedProducts).toHaveLength(0);
  });

  it("refuses a duplicate name in the account, even another user's", async () => {
    await provisionEc2(alice, "shared-name");
    const error = await failure(provisionEc2(bob, "shared-name"));
    expect(error.name).toBe("DuplicateResourceException");
    expect(error.message).toContain("'shared-name' already exists");
  });

  it("refuses changes while the product is UNDER_CHANGE, with an error the operations' models list", async () => {
    // A launch that stays in progress for the whole test, however loaded the machine is.
    const slow = await start({ timings: { provisionMs: 20_000, updateMs: 20_000, terminateMs: 20_000 } });
    try {
      const carol = await assume(slow, "carol");
      const ids = await productsByName(carol.sc);
      const v110 = (await carol.sc.send(new DescribeProductCommand({ Id: ids["EC2 Linux Instance"] }))).ProvisioningArtifacts!.find((a) => a.Name === "v1.1.0")!.Id;
      const { RecordDetail } = await carol.sc.send(
        new ProvisionProductCommand({ ProductId: ids["EC2 Linux Instance"], ProvisioningArtifactId: v110, ProvisionedProductName: "busy-vm", ProvisionToken: "busy-vm", Tags: SCHEDULE }),
      );
      const id = RecordDetail!.ProvisionedProductId;
      const update = await failure(carol.sc.send(new UpdateProvisionedProductCommand({ ProvisionedProductId: id, UpdateToken: token() })));
      expect(update.name).toBe("InvalidParametersException");
      expect(update.message).toContain("UNDER_CHANGE");
      const terminate = await failure(carol.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: id, TerminateToken: token() })));
      expect(terminate.name).toBe("InvalidParametersException");
    } finally {
      await slow.close();
    }
  });
});

describe("updating", () => {
  it("keeps previous values, changes the version and tags, and replaces the instance on an instance-type change", async () => {
    const { RecordDetail } = await provisionEc2(alice, "upd-vm", [{ Key: "VolumeSize", Value: "50" }]);
    const id = RecordDetail!.ProvisionedProductId!;
    const before = (await waitForRecord(alice.sc, RecordDetail!.RecordId!)).outputs.EC2InstanceId;

    const tagsOnly = await alice.sc.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductId: id,
        ProvisioningArtifactId: artifacts["EC2 Linux Instance"]!["v1.0.0"],
        ProvisioningParameters: [{ Key: "VolumeSize", UsePreviousValue: true }],
        Tags: [{ Key: "Schedule", Value: "always-on" }],
        UpdateToken: token(),
      }),
    );
    expect(tagsOnly.RecordDetail).toMatchObject({ RecordType: "UPDATE_PROVISIONED_PRODUCT", Status: "CREATED" });
    const same = await waitForRecord(alice.sc, tagsOnly.RecordDetail!.RecordId!);
    expect(same.Status).toBe("SUCCEEDED");
    expect(same.outputs.EC2InstanceId).toBe(before);
    expect(same.outputs.EC2ConsoleURI).toBeUndefined();
    let world = await state();
    let instance = world.resources.instances.find((i: { instanceId: string }) => i.instanceId === before);
    expect(instance.volumeSize).toBe(50);
    expect(instance.tags).toContainEqual({ Key: "Schedule", Value: "always-on" });
    expect(world.provisionedProducts[0].ProvisioningArtifactName).toBe("v1.0.0");

    const resized = await alice.sc.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductName: "upd-vm",
        ProvisioningArtifactName: "v1.1.0",
        ProvisioningParameters: [{ Key: "EC2InstanceType", Value: "r6a.large" }],
        UpdateToken: token(),
      }),
    );
    const after = await waitForRecord(alice.sc, resized.RecordDetail!.RecordId!);
    expect(after.outputs.EC2InstanceId).not.toBe(before);
    world = await state();
    instance = world.resources.instances.find((i: { instanceId: string }) => i.instanceId === after.outputs.EC2InstanceId);
    expect(instance).toMatchObject({ instanceType: "r6a.large", volumeSize: 50, state: "running" });
    expect(world.resources.instances.find((i: { instanceId: string }) => i.instanceId === before).state).toBe("terminated");
  });

  it("rolls back a failed update and leaves the product TAINTED; a failed launch leaves it in ERROR", async () => {
    const { RecordDetail } = await provisionEc2(alice, "taint-vm");
    const first = await waitForRecord(alice.sc, RecordDetail!.RecordId!);
    await control(emulator, "POST", "faults", { failNext: { productName: "EC2 Linux Instance", operation: "UPDATE", message: "Simulated: instance capacity unavailable" } });
    const update = await alice.sc.send(
      new UpdateProvisionedProductCommand({ ProvisionedProductId: RecordDetail!.ProvisionedProductId, ProvisioningParameters: [{ Key: "EC2InstanceType", Value: "c6a.large" }], UpdateToken: token() }),
    );
    const failed = await waitForRecord(alice.sc, update.RecordDetail!.RecordId!);
    expect(failed.Status).toBe("FAILED");
    expect(failed.RecordErrors).toEqual([{ Code: "StackUpdateFailed", Description: "Simulated: instance capacity unavailable" }]);
    const detail = await alice.sc.send(new DescribeProvisionedProductCommand({ Id: RecordDetail!.ProvisionedProductId }));
    expect(detail.ProvisionedProductDetail).toMatchObject({ Status: "TAINTED", StatusMessage: "Simulated: instance capacity unavailable", LastSuccessfulProvisioningRecordId: RecordDetail!.RecordId });
    const outputs = await alice.sc.send(new GetProvisionedProductOutputsCommand({ ProvisionedProductId: RecordDetail!.ProvisionedProductId }));
    expect(outputs.Outputs?.find((o) => o.OutputKey === "EC2InstanceId")?.OutputValue).toBe(first.outputs.EC2InstanceId);

    await control(emulator, "POST", "faults", { failNext: { productId: products["S3 Private Encrypted Bucket"], message: "Simulated: quota exceeded" } });
    const launch = await provisionBucket(alice, "err-bucket");
    const launchFailed = await waitForRecord(alice.sc, launch.RecordDetail!.RecordId!);
    expect(launchFailed.RecordErrors).toEqual([{ Code: "StackCreateFailed", Description: "Simulated: quota exceeded" }]);
    const errored = await alice.sc.send(new DescribeProvisionedProductCommand({ Name: "err-bucket" }));
    expect(errored.ProvisionedProductDetail?.Status).toBe("ERROR");
    expect((await state()).resources.buckets).toHaveLength(0);
  });

  it("fails a launch asynchronously when the bucket name is taken, as CloudFormation would", async () => {
    await waitForRecord(alice.sc, (await provisionBucket(alice, "first", [{ Key: "BucketName", Value: "lab-data-2026" }])).RecordDetail!.RecordId!);
    const second = await waitForRecord(bob.sc, (await provisionBucket(bob, "second", [{ Key: "BucketName", Value: "lab-data-2026" }])).RecordDetail!.RecordId!);
    expect(second.Status).toBe("FAILED");
    expect(second.RecordErrors![0]!.Description).toContain("lab-data-2026 already exists");
  });
});

describe("terminating", () => {
  it("deletes the instance, keeps a retained bucket and removes the products", async () => {
    const vm = await provisionEc2(alice, "term-vm");
    const vmDone = await waitForRecord(alice.sc, vm.RecordDetail!.RecordId!);
    const bucket = await provisionBucket(alice, "term-bucket", [{ Key: "S3UserARNs", Value: "arn:aws:iam::123456789012:role/Analyst,arn:aws:iam::123456789012:user/carol" }]);
    const bucketDone = await waitForRecord(alice.sc, bucket.RecordDetail!.RecordId!);
    const bucketName = bucketDone.outputs.BucketName!;
    expect(bucketName).toMatch(/^sc-123456789012-pp-[a-z0-9-]+$/);
    expect(bucketName.length).toBeLessThanOrEqual(63);
    expect(bucketDone.outputs.BucketUrl).toBe(`https://s3.console.aws.amazon.com/s3/buckets/${bucketName}?region=us-east-1`);
    const stored = (await state()).resources.buckets.find((b: { name: string }) => b.name === bucketName);
    expect(stored.encryption).toBe("AES256");
    expect(stored.principals).toEqual([alice.arn, "arn:aws:iam::123456789012:role/Analyst", "arn:aws:iam::123456789012:user/carol"]);

    for (const id of [vm.RecordDetail!.ProvisionedProductId, bucket.RecordDetail!.ProvisionedProductId]) {
      const { RecordDetail } = await alice.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: id, TerminateToken: token() }));
      expect(RecordDetail?.RecordType).toBe("TERMINATE_PROVISIONED_PRODUCT");
      expect((await waitForRecord(alice.sc, RecordDetail!.RecordId!)).Status).toBe("SUCCEEDED");
      const gone = await failure(alice.sc.send(new DescribeProvisionedProductCommand({ Id: id })));
      expect(gone.name).toBe("ResourceNotFoundException");
    }
    const world = await state();
    expect(world.provisionedProducts).toHaveLength(0);
    expect(world.resources.instances.find((i: { instanceId: string }) => i.instanceId === vmDone.outputs.EC2InstanceId).state).toBe("terminated");
    expect(world.resources.buckets.find((b: { name: string }) => b.name === bucketName)).toMatchObject({ retained: true, stackId: null, encryption: "AES256" });
  });

  it("keeps every resource with RetainPhysicalResources and ignores a failing delete with IgnoreErrors", async () => {
    const vm = await provisionEc2(alice, "keep-vm");
    const done = await waitForRecord(alice.sc, vm.RecordDetail!.RecordId!);
    const kept = await alice.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductName: "keep-vm", TerminateToken: token(), RetainPhysicalResources: true }));
    await waitForRecord(alice.sc, kept.RecordDetail!.RecordId!);
    expect((await state()).resources.instances.find((i: { instanceId: string }) => i.instanceId === done.outputs.EC2InstanceId).state).toBe("running");

    const other = await provisionEc2(alice, "stuck-vm");
    await waitForRecord(alice.sc, other.RecordDetail!.RecordId!);
    await control(emulator, "POST", "faults", { failNext: [{ operation: "TERMINATE", message: "Simulated: delete failed" }] });
    const failing = await alice.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductName: "stuck-vm", TerminateToken: token() }));
    expect((await waitForRecord(alice.sc, failing.RecordDetail!.RecordId!)).Status).toBe("FAILED");
    expect((await alice.sc.send(new DescribeProvisionedProductCommand({ Name: "stuck-vm" }))).ProvisionedProductDetail?.Status).toBe("ERROR");
    await control(emulator, "POST", "faults", { failNext: [{ operation: "TERMINATE", message: "Simulated: delete failed again" }] });
    const ignored = await alice.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductName: "stuck-vm", TerminateToken: token(), IgnoreErrors: true }));
    expect((await waitForRecord(alice.sc, ignored.RecordDetail!.RecordId!)).Status).toBe("SUCCEEDED");
    expect((await state()).provisionedProducts).toHaveLength(0);
  });
});

describe("ownership and access levels", () => {
  it("isolates users: bob cannot see, describe, update or terminate alice's product", async () => {
    const { RecordDetail } = await provisionEc2(alice, "alice-private");
    await waitForRecord(alice.sc, RecordDetail!.RecordId!);
    const id = RecordDetail!.ProvisionedProductId!;
    expect((await bob.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "self" } }))).ProvisionedProducts).toEqual([]);
    expect((await bob.sc.send(new ScanProvisionedProductsCommand({}))).ProvisionedProducts).toEqual([]);
    for (const call of [
      () => bob.sc.send(new DescribeProvisionedProductCommand({ Id: id })),
      () => bob.sc.send(new DescribeRecordCommand({ Id: RecordDetail!.RecordId })),
      () => bob.sc.send(new GetProvisionedProductOutputsCommand({ ProvisionedProductId: id })),
      () => bob.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: id, TerminateToken: token() })),
      () => bob.sc.send(new UpdateProvisionedProductCommand({ ProvisionedProductId: id, UpdateToken: token() })),
    ]) {
      expect((await failure(call())).name).toBe("ResourceNotFoundException");
    }
    expect((await alice.sc.send(new DescribeProvisionedProductCommand({ Id: id }))).ProvisionedProductDetail?.Status).toBe("AVAILABLE");
  });

  it("lets admins see every product and transfer ownership; the old owner loses access", async () => {
    const { RecordDetail } = await provisionEc2(alice, "handover-vm");
    await waitForRecord(alice.sc, RecordDetail!.RecordId!);
    const id = RecordDetail!.ProvisionedProductId!;

    const denied = await failure(alice.sc.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: bob.arn }, IdempotencyToken: token() })));
    expect(denied.name).toBe("AccessDeniedException");
    const crossAccount = await failure(
      admin.sc.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: "arn:aws:sts::999999999999:assumed-role/X/y" }, IdempotencyToken: token() })),
    );
    expect(crossAccount.name).toBe("InvalidParametersException");
    const badKey = await failure(admin.sc.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: id, ProvisionedProductProperties: { COLOR: "blue" } as never, IdempotencyToken: token() })));
    expect(badKey.name).toBe("InvalidParametersException");

    const account = await admin.sc.send(new ScanProvisionedProductsCommand({ AccessLevelFilter: { Key: "Account", Value: "self" } }));
    expect(account.ProvisionedProducts?.map((p) => p.Name)).toEqual(["handover-vm"]);
    const transfer = await admin.sc.send(new UpdateProvisionedProductPropertiesCommand({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: bob.arn }, IdempotencyToken: token() }));
    expect(transfer).toMatchObject({ ProvisionedProductId: id, ProvisionedProductProperties: { OWNER: bob.arn }, Status: "CREATED" });
    expect(transfer.RecordId).toMatch(/^rec-/);
    expect((await waitForRecord(admin.sc, transfer.RecordId!)).RecordType).toBe("UPDATE_PROVISIONED_PRODUCT_PROPERTIES");

    expect((await failure(alice.sc.send(new DescribeProvisionedProductCommand({ Id: id })))).name).toBe("ResourceNotFoundException");
    expect((await alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "Self" } }))).ProvisionedProducts).toEqual([]);
    const bobs = await bob.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "Self" } }));
    expect(bobs.ProvisionedProducts?.map((p) => [p.Name, p.UserArn])).toEqual([["handover-vm", bob.arn]]);
    const history = await bob.sc.send(new ListRecordHistoryCommand({}));
    expect(history.RecordDetails?.map((r) => r.RecordType)).toEqual(["UPDATE_PROVISIONED_PRODUCT_PROPERTIES", "PROVISION_PRODUCT"]);
    const terminate = await bob.sc.send(new TerminateProvisionedProductCommand({ ProvisionedProductId: id, TerminateToken: token() }));
    expect((await waitForRecord(bob.sc, terminate.RecordDetail!.RecordId!)).Status).toBe("SUCCEEDED");
  });

  it("searches with SearchQuery filters, sorting and paging, and lists record history", async () => {
    for (const name of ["beta-vm", "alpha-vm", "gamma-vm"]) await waitForRecord(alice.sc, (await provisionEc2(alice, name)).RecordDetail!.RecordId!);
    await waitForRecord(alice.sc, (await provisionBucket(alice, "data-bucket")).RecordDetail!.RecordId!);
    const byName = await alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER, Filters: { SearchQuery: ["name:alpha-vm"] } }));
    expect(byName.ProvisionedProducts?.map((p) => p.Name)).toEqual(["alpha-vm"]);
    expect(byName.ProvisionedProducts![0]).toMatchObject({ ProductName: "EC2 Linux Instance", ProvisioningArtifactName: "v1.1.0", UserArn: alice.arn, Status: "AVAILABLE", Type: "CFN_STACK" });
    expect(byName.ProvisionedProducts![0]!.Tags).toContainEqual({ Key: "Schedule", Value: "office-hours" });
    const freeText = await alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER, Filters: { SearchQuery: ["bucket"] } }));
    expect(freeText.ProvisionedProducts?.map((p) => p.Name)).toEqual(["data-bucket"]);
    const sorted = await alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER, SortBy: "name", SortOrder: "ASCENDING", PageSize: 2 }));
    expect(sorted.ProvisionedProducts?.map((p) => p.Name)).toEqual(["alpha-vm", "beta-vm"]);
    expect(sorted.TotalResultsCount).toBe(4);
    const next = await alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER, SortBy: "name", SortOrder: "ASCENDING", PageSize: 2, PageToken: sorted.NextPageToken! }));
    expect(next.ProvisionedProducts?.map((p) => p.Name)).toEqual(["data-bucket", "gamma-vm"]);
    const badSort = await failure(alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: USER, SortBy: "color" })));
    expect(badSort.name).toBe("InvalidParametersException");
    const scan = await alice.sc.send(new ScanProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "Self" }, PageSize: 3 }));
    expect(scan.ProvisionedProducts).toHaveLength(3);
    expect(scan.NextPageToken).toBeDefined();
    const history = await alice.sc.send(new ListRecordHistoryCommand({ SearchFilter: { Key: "product", Value: products["S3 Private Encrypted Bucket"] } }));
    expect(history.RecordDetails?.map((r) => r.ProvisionedProductName)).toEqual(["data-bucket"]);
    const roleLevel = await admin.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Role", Value: "self" } }));
    expect(roleLevel.RecordDetails).toEqual([]);
    const accountLevel = await admin.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Account", Value: "self" } }));
    expect(accountLevel.RecordDetails).toHaveLength(4);
    expect((await failure(alice.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Account", Value: "self" } })))).name).toBe("AccessDeniedException");
  });
});

describe("the Synapse bucket", () => {
  it("grants Synapse, gives the command that writes owner.txt and keeps the session's source identity", async () => {
    const { RecordDetail } = await provisionBucket(alice, "syn-bucket", [{ Key: "SynapseUserName", Value: "alice.smith" }, { Key: "RestrictSameRegionDownload", Value: "false" }], "S3 Synapse Bucket");
    const done = await waitForRecord(alice.sc, RecordDetail!.RecordId!);
    const bucket = (await state()).resources.buckets.find((b: { name: string }) => b.name === done.outputs.BucketName);
    expect(bucket.principals).toEqual([alice.arn, "arn:aws:iam::325565585839:root"]);
    // Plain CloudFormation puts no object in a bucket: the owner runs the output's command once.
    expect(bucket.objects).toEqual({});
    expect(done.outputs.OwnerFileCommand).toBe(`printf '%s' 'alice.smith' | aws s3 cp - s3://${done.outputs.BucketName}/owner.txt --content-type text/plain`);
    expect(JSON.stringify(bucket.policy)).not.toContain("DenyDownloadOutsideRegion");
    const pp = (await state()).provisionedProducts[0];
    expect(pp.provisioningPrincipal).toEqual({ arn: alice.arn, sourceIdentity: "alice@example.org", sessionTags: [{ Key: "OwnerEmail", Value: "alice@example.org" }] });
  });

  it("fails asynchronously with MalformedPolicy when S3UserARNs holds something that is not a principal", async () => {
    const { RecordDetail } = await provisionBucket(alice, "bad-share", [{ Key: "S3UserARNs", Value: "not-an-arn" }]);
    const done = await waitForRecord(alice.sc, RecordDetail!.RecordId!);
    expect(done.Status).toBe("FAILED");
    expect(done.RecordErrors![0]!.Description).toContain("Invalid principal in policy");
    expect((await state()).resources.buckets).toHaveLength(0);
  });
});
