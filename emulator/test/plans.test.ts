import {
  CreateProvisionedProductPlanCommand,
  DeleteProvisionedProductPlanCommand,
  DescribeProductCommand,
  DescribeProvisionedProductCommand,
  DescribeProvisionedProductPlanCommand,
  ExecuteProvisionedProductPlanCommand,
  ProvisionProductCommand,
  SearchProvisionedProductsCommand,
} from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { assume, failure, productsByName, start, waitForRecord, type Session } from "./helpers";

let emulator: RunningEmulator;
let alice: Session;
let bob: Session;
let ec2: string;
let v110: string;
let s3: string;
let s3v1: string;

async function waitForPlan(session: Session, planId: string, wanted: string) {
  for (let i = 0; i < 200; i++) {
    const plan = await session.sc.send(new DescribeProvisionedProductPlanCommand({ PlanId: planId }));
    if (plan.ProvisionedProductPlanDetails?.Status === wanted) return plan;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`plan ${planId} never reached ${wanted}`);
}

beforeAll(async () => {
  emulator = await start();
  alice = await assume(emulator, "alice");
  bob = await assume(emulator, "bob");
  const products = await productsByName(alice.sc);
  ec2 = products["EC2 Linux Instance"]!;
  s3 = products["S3 Private Encrypted Bucket"]!;
  v110 = (await alice.sc.send(new DescribeProductCommand({ Id: ec2 }))).ProvisioningArtifacts!.find((a) => a.Name === "v1.1.0")!.Id!;
  s3v1 = (await alice.sc.send(new DescribeProductCommand({ Id: s3 }))).ProvisioningArtifacts![0]!.Id!;
});
afterAll(() => emulator.close());

describe("provisioned product plans", () => {
  it("shows an instance-type change as a replacement of the instance, and executing it replaces the instance", async () => {
    const { RecordDetail } = await alice.sc.send(
      new ProvisionProductCommand({ ProductId: ec2, ProvisioningArtifactId: v110, ProvisionedProductName: "plan-vm", ProvisionToken: "plan-vm", Tags: [{ Key: "Schedule", Value: "always-on" }] }),
    );
    const before = (await waitForRecord(alice.sc, RecordDetail!.RecordId!)).outputs.EC2InstanceId;

    const created = await alice.sc.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: "bigger",
        PlanType: "CLOUDFORMATION",
        ProductId: ec2,
        ProvisioningArtifactId: v110,
        ProvisionedProductName: "plan-vm",
        ProvisioningParameters: [
          { Key: "EC2InstanceType", Value: "m6a.xlarge" },
          { Key: "VolumeSize", UsePreviousValue: true },
        ],
        IdempotencyToken: "plan-1",
      }),
    );
    expect(created).toMatchObject({ PlanName: "bigger", ProvisionProductId: RecordDetail!.ProvisionedProductId, ProvisionedProductName: "plan-vm", ProvisioningArtifactId: v110 });
    const again = await alice.sc.send(
      new CreateProvisionedProductPlanCommand({ PlanName: "bigger", PlanType: "CLOUDFORMATION", ProductId: ec2, ProvisioningArtifactId: v110, ProvisionedProductName: "plan-vm", IdempotencyToken: "plan-1" }),
    );
    expect(again.PlanId).toBe(created.PlanId);

    const plan = await waitForPlan(alice, created.PlanId!, "CREATE_SUCCESS");
    expect(plan.ProvisionedProductPlanDetails).toMatchObject({ PlanType: "CLOUDFORMATION", ProvisionProductName: "plan-vm", ProductId: ec2 });
    expect(plan.ResourceChanges).toEqual([
      {
        Action: "MODIFY",
        LogicalResourceId: "EC2Instance",
        PhysicalResourceId: before,
        ResourceType: "AWS::EC2::Instance",
        Replacement: "TRUE",
        Scope: ["PROPERTIES"],
        Details: [{ Target: { Attribute: "PROPERTIES", Name: "InstanceType", RequiresRecreation: "ALWAYS" }, Evaluation: "STATIC", CausingEntity: "EC2InstanceType" }],
      },
    ]);
    // Planning changes nothing.
    expect((await bob.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "self" } }))).ProvisionedProducts).toEqual([]);
    expect((await failure(bob.sc.send(new DescribeProvisionedProductPlanCommand({ PlanId: created.PlanId })))).name).toBe("ResourceNotFoundException");

    const executed = await alice.sc.send(new ExecuteProvisionedProductPlanCommand({ PlanId: created.PlanId, IdempotencyToken: "exec-1" }));
    expect(executed.RecordDetail?.RecordType).toBe("UPDATE_PROVISIONED_PRODUCT");
    const done = await waitForRecord(alice.sc, executed.RecordDetail!.RecordId!);
    expect(done.outputs.EC2InstanceId).not.toBe(before);
    expect((await alice.sc.send(new DescribeProvisionedProductPlanCommand({ PlanId: created.PlanId }))).ProvisionedProductPlanDetails?.Status).toBe("EXECUTE_SUCCESS");
    const replay = await failure(alice.sc.send(new ExecuteProvisionedProductPlanCommand({ PlanId: created.PlanId, IdempotencyToken: "exec-2" })));
    expect(replay.name).toBe("InvalidStateException");

    await alice.sc.send(new DeleteProvisionedProductPlanCommand({ PlanId: created.PlanId }));
    expect((await failure(alice.sc.send(new DescribeProvisionedProductPlanCommand({ PlanId: created.PlanId })))).name).toBe("ResourceNotFoundException");
  });

  it("shows a tag-only change as in place and a bucket rename as a replacement with a conditional policy change", async () => {
    const { RecordDetail } = await alice.sc.send(
      new ProvisionProductCommand({
        ProductId: s3,
        ProvisioningArtifactId: s3v1,
        ProvisionedProductName: "plan-bucket",
        ProvisionToken: "plan-bucket",
        ProvisioningParameters: [
          { Key: "BucketName", Value: "plan-bucket-one" },
          { Key: "OwnerPrincipalArn", Value: alice.arn },
        ],
      }),
    );
    await waitForRecord(alice.sc, RecordDetail!.RecordId!);
    const created = await alice.sc.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: "rename",
        PlanType: "CLOUDFORMATION",
        ProductId: s3,
        ProvisioningArtifactId: s3v1,
        ProvisionedProductName: "plan-bucket",
        ProvisioningParameters: [{ Key: "BucketName", Value: "plan-bucket-two" }],
        IdempotencyToken: "rename-1",
      }),
    );
    const plan = await waitForPlan(alice, created.PlanId!, "CREATE_SUCCESS");
    const byId = Object.fromEntries(plan.ResourceChanges!.map((c) => [c.LogicalResourceId, c]));
    expect(byId.S3Bucket).toMatchObject({ Action: "MODIFY", Replacement: "TRUE", PhysicalResourceId: "plan-bucket-one" });
    expect(byId.S3BucketPolicy).toMatchObject({ Action: "MODIFY", Replacement: "CONDITIONAL" });
    expect(byId.S3BucketPolicy!.Details).toContainEqual({ Target: { Attribute: "PROPERTIES", Name: "Bucket", RequiresRecreation: "ALWAYS" }, Evaluation: "DYNAMIC", CausingEntity: "S3Bucket" });

    const shareOnly = await alice.sc.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: "share",
        PlanType: "CLOUDFORMATION",
        ProductId: s3,
        ProvisioningArtifactId: s3v1,
        ProvisionedProductName: "plan-bucket",
        ProvisioningParameters: [{ Key: "S3UserARNs", Value: "arn:aws:iam::123456789012:role/Analyst" }],
        IdempotencyToken: "share-1",
      }),
    );
    const sharePlan = await waitForPlan(alice, shareOnly.PlanId!, "CREATE_SUCCESS");
    expect(sharePlan.ResourceChanges?.map((c) => [c.LogicalResourceId, c.Replacement])).toEqual([["S3BucketPolicy", "FALSE"]]);
  });

  it("plans a new product (PLAN_IN_PROGRESS until executed) and validates like ProvisionProduct", async () => {
    const invalid = await failure(
      alice.sc.send(
        new CreateProvisionedProductPlanCommand({
          PlanName: "new",
          PlanType: "CLOUDFORMATION",
          ProductId: ec2,
          ProvisioningArtifactId: v110,
          ProvisionedProductName: "new-vm",
          ProvisioningParameters: [{ Key: "VolumeSize", Value: "9999" }],
          Tags: [{ Key: "Schedule", Value: "always-on" }],
          IdempotencyToken: "new-bad",
        }),
      ),
    );
    expect(invalid.name).toBe("InvalidParametersException");
    expect(invalid.message).toContain("Parameter 'VolumeSize'");

    const created = await alice.sc.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: "new",
        PlanType: "CLOUDFORMATION",
        ProductId: ec2,
        ProvisioningArtifactId: v110,
        ProvisionedProductName: "new-vm",
        Tags: [{ Key: "Schedule", Value: "always-on" }],
        IdempotencyToken: "new-1",
      }),
    );
    const early = await failure(alice.sc.send(new ExecuteProvisionedProductPlanCommand({ PlanId: created.PlanId, IdempotencyToken: "new-exec-early" })));
    expect(early.name).toBe("InvalidStateException");
    expect((await alice.sc.send(new DescribeProvisionedProductCommand({ Id: created.ProvisionProductId }))).ProvisionedProductDetail?.Status).toBe("PLAN_IN_PROGRESS");
    const plan = await waitForPlan(alice, created.PlanId!, "CREATE_SUCCESS");
    expect(plan.ResourceChanges?.map((c) => [c.Action, c.LogicalResourceId])).toEqual([
      ["ADD", "InstanceRole"],
      ["ADD", "InstanceProfile"],
      ["ADD", "EC2Instance"],
    ]);
    const executed = await alice.sc.send(new ExecuteProvisionedProductPlanCommand({ PlanId: created.PlanId, IdempotencyToken: "new-exec" }));
    expect(executed.RecordDetail?.RecordType).toBe("PROVISION_PRODUCT");
    expect((await waitForRecord(alice.sc, executed.RecordDetail!.RecordId!)).Status).toBe("SUCCEEDED");
    expect((await alice.sc.send(new DescribeProvisionedProductCommand({ Name: "new-vm" }))).ProvisionedProductDetail?.Status).toBe("AVAILABLE");

    const abandoned = await alice.sc.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: "maybe",
        PlanType: "CLOUDFORMATION",
        ProductId: s3,
        ProvisioningArtifactId: s3v1,
        ProvisionedProductName: "maybe-bucket",
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: alice.arn }],
        IdempotencyToken: "maybe-1",
      }),
    );
    await alice.sc.send(new DeleteProvisionedProductPlanCommand({ PlanId: abandoned.PlanId, IgnoreErrors: true }));
    expect((await failure(alice.sc.send(new DescribeProvisionedProductCommand({ Name: "maybe-bucket" })))).name).toBe("ResourceNotFoundException");
  });
});
