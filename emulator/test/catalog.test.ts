import {
  DescribeProductCommand,
  DescribeProductViewCommand,
  DescribeProvisioningArtifactCommand,
  DescribeProvisioningParametersCommand,
  ListLaunchPathsCommand,
  ListProvisioningArtifactsCommand,
  SearchProductsCommand,
  SearchProvisionedProductsCommand,
  ScanProvisionedProductsCommand,
} from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { assume, failure, productsByName, start, type Session } from "./helpers";

let emulator: RunningEmulator;
let alice: Session;
let products: Record<string, string>;

beforeAll(async () => {
  emulator = await start();
  alice = await assume(emulator, "alice");
  products = await productsByName(alice.sc);
});
afterAll(() => emulator.close());

describe("browsing the catalog", () => {
  it("lists the three products with their owner, distributor and support details", async () => {
    const result = await alice.sc.send(new SearchProductsCommand({}));
    expect(result.ProductViewSummaries?.map((p) => p.Name)).toEqual(["EC2 Linux Instance", "S3 Private Encrypted Bucket", "S3 Synapse Bucket"]);
    const ec2 = result.ProductViewSummaries![0]!;
    expect(ec2.Id).toMatch(/^prodview-[a-z0-9]{13}$/);
    expect(ec2.ProductId).toMatch(/^prod-[a-z0-9]{13}$/);
    expect(ec2).toMatchObject({ Owner: "Research IT", Type: "CLOUD_FORMATION_TEMPLATE", SupportEmail: "cloud-support@example.org" });
    expect(ec2.ShortDescription).toContain("Systems Manager");
    const s3 = result.ProductViewSummaries![1]!;
    expect(s3.ShortDescription).toContain("kept when you terminate");
  });

  it("filters, sorts and pages", async () => {
    const text = await alice.sc.send(new SearchProductsCommand({ Filters: { FullTextSearch: ["synapse"] } }));
    expect(text.ProductViewSummaries?.map((p) => p.Name)).toEqual(["S3 Synapse Bucket"]);
    const descending = await alice.sc.send(new SearchProductsCommand({ SortBy: "Title", SortOrder: "DESCENDING" }));
    expect(descending.ProductViewSummaries?.[0]?.Name).toBe("S3 Synapse Bucket");
    const first = await alice.sc.send(new SearchProductsCommand({ PageSize: 2 }));
    expect(first.ProductViewSummaries).toHaveLength(2);
    const second = await alice.sc.send(new SearchProductsCommand({ PageSize: 2, PageToken: first.NextPageToken! }));
    expect(second.ProductViewSummaries?.map((p) => p.Name)).toEqual(["S3 Synapse Bucket"]);
    expect(second.NextPageToken).toBeUndefined();
  });

  it("describes a product with its EC2 versions, the oldest deprecated, and its launch path", async () => {
    const result = await alice.sc.send(new DescribeProductCommand({ Id: products["EC2 Linux Instance"] }));
    expect(result.ProvisioningArtifacts?.map((a) => [a.Name, a.Guidance])).toEqual([
      ["v1.0.0", "DEPRECATED"],
      ["v1.1.0", "DEFAULT"],
      ["v1.2.0", "DEFAULT"],
    ]);
    expect(result.LaunchPaths).toEqual([{ Id: expect.stringMatching(/^lpv3-/), Name: "Research Computing" }]);
    const byName = await alice.sc.send(new DescribeProductCommand({ Name: "S3 Synapse Bucket" }));
    expect(byName.ProductViewSummary?.ProductId).toBe(products["S3 Synapse Bucket"]);
    const view = await alice.sc.send(new DescribeProductViewCommand({ Id: result.ProductViewSummary!.Id! }));
    expect(view.ProductViewSummary?.Name).toBe("EC2 Linux Instance");
  });

  it("reports unknown products as ResourceNotFoundException", async () => {
    expect((await failure(alice.sc.send(new DescribeProductCommand({ Id: "prod-doesnotexist1" })))).name).toBe("ResourceNotFoundException");
    expect((await failure(alice.sc.send(new DescribeProductViewCommand({ Id: "prodview-nope" })))).name).toBe("ResourceNotFoundException");
  });

  it("lists launch paths with their constraints: launch, and RESOURCE_UPDATE where the portfolio has one for the product", async () => {
    const result = await alice.sc.send(new ListLaunchPathsCommand({ ProductId: products["S3 Private Encrypted Bucket"] }));
    expect(result.LaunchPathSummaries).toHaveLength(1);
    expect(result.LaunchPathSummaries![0]!.ConstraintSummaries).toEqual([
      { Type: "LAUNCH", Description: expect.stringContaining("SCLaunchRole") },
      { Type: "RESOURCE_UPDATE", Description: expect.stringContaining("Tags of provisioned private buckets") },
    ]);
    const synapse = await alice.sc.send(new ListLaunchPathsCommand({ ProductId: products["S3 Synapse Bucket"] }));
    expect(synapse.LaunchPathSummaries![0]!.ConstraintSummaries).toEqual([{ Type: "LAUNCH", Description: expect.stringContaining("SCLaunchRole") }]);
  });

  it("describes provisioning parameters with constraints, usage instructions, TagOptions and output keys", async () => {
    const product = await alice.sc.send(new DescribeProductCommand({ Id: products["EC2 Linux Instance"] }));
    const v110 = product.ProvisioningArtifacts!.find((a) => a.Name === "v1.1.0")!;
    const result = await alice.sc.send(new DescribeProvisioningParametersCommand({ ProductId: products["EC2 Linux Instance"], ProvisioningArtifactId: v110.Id }));
    const byKey = Object.fromEntries(result.ProvisioningArtifactParameters!.map((p) => [p.ParameterKey, p]));
    expect(byKey.EC2InstanceType).toMatchObject({ DefaultValue: "t3a.small", ParameterType: "String", IsNoEcho: false });
    expect(byKey.EC2InstanceType!.ParameterConstraints!.AllowedValues).toContain("r6a.large");
    expect(byKey.VolumeSize).toMatchObject({ DefaultValue: "30", ParameterType: "Number", ParameterConstraints: { MinValue: "30", MaxValue: "5000" } });
    expect(byKey.AMI!.ParameterConstraints!.AllowedValues).toEqual(["AmazonLinuxDocker"]);
    expect(result.ProvisioningArtifactOutputKeys?.map((o) => o.Key)).toEqual(["EC2InstanceId", "EC2InstancePrivateIpAddress", "ConnectionURI", "EC2ConsoleURI"]);
    expect(result.TagOptions).toEqual([
      { Key: "ManagedBy", Values: ["Quartermaster"] },
      { Key: "Schedule", Values: ["office-hours", "always-on"] },
    ]);
    const instructions = result.UsageInstructions!.find((u) => u.Type === "instructions")!.Value!;
    expect(instructions).toContain("aws ssm start-session");
    expect(result.UsageInstructions).toContainEqual({ Type: "launchAsRole", Value: "arn:aws:iam::123456789012:role/SCLaunchRole" });

    const s3 = await alice.sc.send(new DescribeProductCommand({ Id: products["S3 Private Encrypted Bucket"] }));
    const s3Params = await alice.sc.send(new DescribeProvisioningParametersCommand({ ProductId: products["S3 Private Encrypted Bucket"], ProvisioningArtifactId: s3.ProvisioningArtifacts![0]!.Id }));
    const s3ByKey = Object.fromEntries(s3Params.ProvisioningArtifactParameters!.map((p) => [p.ParameterKey, p]));
    expect(s3ByKey.S3UserARNs?.ParameterType).toBe("CommaDelimitedList");
    expect(s3ByKey.RestrictSameRegionDownload).toMatchObject({ DefaultValue: "true", ParameterConstraints: { AllowedValues: ["true", "false"] } });
    expect(s3ByKey.BucketName?.ParameterConstraints?.AllowedPattern).toContain("[a-z0-9]");

    // A NoEcho parameter: its default is masked, as CloudFormation masks it.
    const v120 = product.ProvisioningArtifacts!.find((a) => a.Name === "v1.2.0")!;
    const withSecret = await alice.sc.send(new DescribeProvisioningParametersCommand({ ProductId: products["EC2 Linux Instance"], ProvisioningArtifactId: v120.Id }));
    expect(withSecret.ProvisioningArtifactParameters!.find((p) => p.ParameterKey === "JupyterPassword")).toMatchObject({ IsNoEcho: true, DefaultValue: "****", ParameterConstraints: { MaxLength: "64" } });
  });

  it("reports tagUpdateOnProvisionedProduct in the usage instructions as AWS does: ALLOWED where a RESOURCE_UPDATE constraint allows it, else NOT_ALLOWED", async () => {
    const instructions = async (name: string) => {
      const artifact = (await alice.sc.send(new DescribeProductCommand({ Id: products[name] }))).ProvisioningArtifacts!.at(-1)!.Id;
      return (await alice.sc.send(new DescribeProvisioningParametersCommand({ ProductId: products[name], ProvisioningArtifactId: artifact }))).UsageInstructions!;
    };
    const ec2 = await instructions("EC2 Linux Instance");
    expect(ec2.map((u) => u.Type)).toEqual(["rules", "version", "launchAsRole", "tagUpdateOnProvisionedProduct", "instructions"]);
    expect(ec2).toContainEqual({ Type: "tagUpdateOnProvisionedProduct", Value: "ALLOWED" });
    expect(await instructions("S3 Private Encrypted Bucket")).toContainEqual({ Type: "tagUpdateOnProvisionedProduct", Value: "ALLOWED" });
    expect(await instructions("S3 Synapse Bucket")).toContainEqual({ Type: "tagUpdateOnProvisionedProduct", Value: "NOT_ALLOWED" });
  });

  it("refuses a PageSize above the operation's maximum, as the model's range says", async () => {
    const search = await failure(alice.sc.send(new SearchProductsCommand({ PageSize: 101 })));
    expect(search.name).toBe("InvalidParametersException");
    expect(search.message).toBe("1 validation error detected: Value '101' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 100");
    expect((await failure(alice.sc.send(new ScanProvisionedProductsCommand({ PageSize: 21 })))).name).toBe("InvalidParametersException");
    expect((await failure(alice.sc.send(new ListLaunchPathsCommand({ ProductId: products["EC2 Linux Instance"], PageSize: 21 })))).name).toBe("InvalidParametersException");
    await expect(alice.sc.send(new SearchProductsCommand({ PageSize: 100 }))).resolves.toBeTruthy();
  });

  it("describes and lists provisioning artifacts; the verbose TemplateUrl serves the template with its interface metadata", async () => {
    const list = await alice.sc.send(new ListProvisioningArtifactsCommand({ ProductId: products["EC2 Linux Instance"] }));
    expect(list.ProvisioningArtifactDetails?.map((a) => [a.Name, a.Type, a.Active, a.Guidance])).toEqual([
      ["v1.0.0", "CLOUD_FORMATION_TEMPLATE", true, "DEPRECATED"],
      ["v1.1.0", "CLOUD_FORMATION_TEMPLATE", true, "DEFAULT"],
      ["v1.2.0", "CLOUD_FORMATION_TEMPLATE", true, "DEFAULT"],
    ]);
    const artifactId = list.ProvisioningArtifactDetails![1]!.Id!;
    const result = await alice.sc.send(
      new DescribeProvisioningArtifactCommand({ ProductId: products["EC2 Linux Instance"], ProvisioningArtifactId: artifactId, Verbose: true, IncludeProvisioningArtifactParameters: true }),
    );
    expect(result.Status).toBe("AVAILABLE");
    expect(result.ProvisioningArtifactParameters?.map((p) => p.ParameterKey)).toEqual(["EC2InstanceType", "VolumeSize", "AMI"]);
    const url = result.Info!.TemplateUrl!;
    expect(url).toBe(`${emulator.url}/_templates/${products["EC2 Linux Instance"]}/${artifactId}.json`);
    const template = await (await fetch(url)).json();
    const iface = template.Metadata["AWS::CloudFormation::Interface"];
    expect(iface.ParameterLabels.EC2InstanceType.default).toBe("Instance type");
    expect(iface.ParameterGroups[0]).toEqual({ Label: { default: "Instance" }, Parameters: ["EC2InstanceType", "AMI"] });
    expect(template.Resources.EC2Instance.Properties.InstanceType).toEqual({ Ref: "EC2InstanceType" });
    const terse = await alice.sc.send(new DescribeProvisioningArtifactCommand({ ProductId: products["EC2 Linux Instance"], ProvisioningArtifactId: artifactId }));
    expect(terse.Info?.TemplateUrl).toBeUndefined();
    expect((await fetch(`${emulator.url}/_templates/prod-x/pa-y.json`)).status).toBe(404);
  });

  it("lets end users list only their own provisioned products (AccessLevelFilter User)", async () => {
    await expect(alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "Self" } }))).resolves.toBeTruthy();
    for (const key of ["Role", "Account"] as const) {
      const error = await failure(alice.sc.send(new ScanProvisionedProductsCommand({ AccessLevelFilter: { Key: key, Value: "self" } })));
      expect(error.name).toBe("AccessDeniedException");
      expect(error.message).toContain("assumed-role/ServiceCatalogEndusers/alice is not authorized to perform: servicecatalog:ScanProvisionedProducts");
    }
  });
});
