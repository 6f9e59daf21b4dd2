import {
  DescribeProductAsAdminCommand,
  DescribeProductCommand,
  ListConstraintsForPortfolioCommand,
  ListPortfoliosCommand,
  ListPortfoliosForProductCommand,
  ListRecordHistoryCommand,
  ProvisionProductCommand,
  SearchProductsAsAdminCommand,
  type ServiceCatalogClient,
} from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { ADMIN_ROLE, assume, failure, productsByName, start, waitForRecord, type Session } from "./helpers";

/** The catalog reads of the admin area: allowed to the admin role, refused to end users as IAM refuses them. */
let emulator: RunningEmulator;
let alice: Session;
let admin: Session;
let products: Record<string, string>;
let portfolioId: string;

beforeAll(async () => {
  emulator = await start();
  alice = await assume(emulator, "alice");
  admin = await assume(emulator, "admin", ADMIN_ROLE);
  products = await productsByName(alice.sc);
  portfolioId = (await admin.sc.send(new ListPortfoliosCommand({}))).PortfolioDetails![0]!.Id!;
});
afterAll(() => emulator.close());

const calls: Array<[string, (sc: ServiceCatalogClient) => Promise<unknown>]> = [
  ["SearchProductsAsAdmin", (sc) => sc.send(new SearchProductsAsAdminCommand({}))],
  ["DescribeProductAsAdmin", (sc) => sc.send(new DescribeProductAsAdminCommand({ Id: products["EC2 Linux Instance"] }))],
  ["ListPortfolios", (sc) => sc.send(new ListPortfoliosCommand({}))],
  ["ListPortfoliosForProduct", (sc) => sc.send(new ListPortfoliosForProductCommand({ ProductId: products["EC2 Linux Instance"] }))],
  ["ListConstraintsForPortfolio", (sc) => sc.send(new ListConstraintsForPortfolioCommand({ PortfolioId: portfolioId }))],
];

describe("admin catalog reads", () => {
  it.each(calls)("%s: refused to end users with AccessDeniedException, allowed to administrators", async (operation, call) => {
    const denied = await failure(call(alice.sc));
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.$metadata.httpStatusCode).toBe(400);
    expect(denied.message).toBe(`User: ${alice.arn} is not authorized to perform: servicecatalog:${operation} because no identity-based policy allows the servicecatalog:${operation} action`);
    await expect(call(admin.sc)).resolves.toBeTruthy();
  });

  it("SearchProductsAsAdmin gives product view details of every product, by portfolio and filter, 20 at most a page", async () => {
    const all = await admin.sc.send(new SearchProductsAsAdminCommand({}));
    expect(all.ProductViewDetails?.map((d) => d.ProductViewSummary?.Name)).toEqual(["EC2 Linux Instance", "S3 Private Encrypted Bucket", "S3 Synapse Bucket"]);
    expect(all.ProductViewDetails![0]).toMatchObject({
      Status: "AVAILABLE",
      ProductARN: `arn:aws:catalog:us-east-1:123456789012:product/${products["EC2 Linux Instance"]}`,
      ProductViewSummary: { ProductId: products["EC2 Linux Instance"], Owner: "Research IT", Type: "CLOUD_FORMATION_TEMPLATE" },
    });
    expect(all.ProductViewDetails![0]!.CreatedTime).toEqual(new Date("2026-01-12T09:30:00Z"));
    const inPortfolio = await admin.sc.send(new SearchProductsAsAdminCommand({ PortfolioId: portfolioId, Filters: { FullTextSearch: ["synapse"] }, ProductSource: "ACCOUNT" }));
    expect(inPortfolio.ProductViewDetails?.map((d) => d.ProductViewSummary?.Name)).toEqual(["S3 Synapse Bucket"]);
    const sorted = await admin.sc.send(new SearchProductsAsAdminCommand({ SortBy: "VersionCount", SortOrder: "DESCENDING", PageSize: 1 }));
    expect(sorted.ProductViewDetails?.map((d) => d.ProductViewSummary?.Name)).toEqual(["EC2 Linux Instance"]);
    expect(sorted.NextPageToken).toBeDefined();
    expect((await failure(admin.sc.send(new SearchProductsAsAdminCommand({ PortfolioId: "port-doesnotexist1" })))).name).toBe("ResourceNotFoundException");
    const tooBig = await failure(admin.sc.send(new SearchProductsAsAdminCommand({ PageSize: 21 })));
    expect(tooBig.name).toBe("InvalidParametersException");
    expect(tooBig.message).toBe("1 validation error detected: Value '21' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 20");
  });

  it("DescribeProductAsAdmin gives every version, the product's TagOptions and its ARN", async () => {
    const ec2 = await admin.sc.send(new DescribeProductAsAdminCommand({ Id: products["EC2 Linux Instance"] }));
    expect(ec2.ProductViewDetail?.ProductARN).toBe(`arn:aws:catalog:us-east-1:123456789012:product/${products["EC2 Linux Instance"]}`);
    expect(ec2.ProvisioningArtifactSummaries?.map((a) => a.Name)).toEqual(["v1.0.0", "v1.1.0", "v1.2.0"]);
    expect(ec2.TagOptions?.map((t) => [t.Key, t.Value, t.Active, t.Owner])).toEqual([
      ["Schedule", "office-hours", true, "123456789012"],
      ["Schedule", "always-on", true, "123456789012"],
    ]);
    expect(ec2.TagOptions![0]!.Id).toMatch(/^tag-[a-z0-9]{13}$/);
    expect(ec2).toMatchObject({ Tags: [], Budgets: [] });
    const byName = await admin.sc.send(new DescribeProductAsAdminCommand({ Name: "S3 Synapse Bucket" }));
    expect(byName.ProductViewDetail?.ProductViewSummary?.ProductId).toBe(products["S3 Synapse Bucket"]);
    expect((await failure(admin.sc.send(new DescribeProductAsAdminCommand({ Id: "prod-doesnotexist1" })))).name).toBe("ResourceNotFoundException");
    expect((await failure(admin.sc.send(new DescribeProductAsAdminCommand({})))).name).toBe("InvalidParametersException");
  });

  it("ListPortfolios and ListPortfoliosForProduct give portfolio details", async () => {
    const portfolios = await admin.sc.send(new ListPortfoliosCommand({}));
    expect(portfolios.PortfolioDetails).toEqual([
      {
        Id: portfolioId,
        ARN: `arn:aws:catalog:us-east-1:123456789012:portfolio/${portfolioId}`,
        DisplayName: "Research Computing",
        Description: "Compute and storage for research projects, billed to the project.",
        CreatedTime: new Date("2026-01-12T09:00:00Z"),
        ProviderName: "Research IT",
      },
    ]);
    const forProduct = await admin.sc.send(new ListPortfoliosForProductCommand({ ProductId: products["S3 Synapse Bucket"] }));
    expect(forProduct.PortfolioDetails?.map((p) => p.Id)).toEqual([portfolioId]);
    expect((await failure(admin.sc.send(new ListPortfoliosForProductCommand({ ProductId: "prod-doesnotexist1" })))).name).toBe("ResourceNotFoundException");
  });

  it("ListConstraintsForPortfolio lists the launch constraint of each product and the RESOURCE_UPDATE ones", async () => {
    const all = await admin.sc.send(new ListConstraintsForPortfolioCommand({ PortfolioId: portfolioId }));
    expect(all.ConstraintDetails?.map((c) => [c.Type, c.ProductId])).toEqual([
      ["LAUNCH", products["EC2 Linux Instance"]],
      ["RESOURCE_UPDATE", products["EC2 Linux Instance"]],
      ["LAUNCH", products["S3 Private Encrypted Bucket"]],
      ["RESOURCE_UPDATE", products["S3 Private Encrypted Bucket"]],
      ["LAUNCH", products["S3 Synapse Bucket"]],
    ]);
    expect(all.ConstraintDetails![1]).toMatchObject({ ConstraintId: expect.stringMatching(/^cons-[a-z0-9]{13}$/), Owner: "123456789012", PortfolioId: portfolioId });
    const synapse = await admin.sc.send(new ListConstraintsForPortfolioCommand({ PortfolioId: portfolioId, ProductId: products["S3 Synapse Bucket"] }));
    expect(synapse.ConstraintDetails?.map((c) => c.Type)).toEqual(["LAUNCH"]);
    expect((await failure(admin.sc.send(new ListConstraintsForPortfolioCommand({ PortfolioId: "port-doesnotexist1" })))).name).toBe("ResourceNotFoundException");
  });

  it("ListRecordHistory: AccessLevelFilter User (the default), Role and Account, SearchFilter by product or provisioned product", async () => {
    const artifact = (await alice.sc.send(new DescribeProductCommand({ Id: products["S3 Private Encrypted Bucket"] }))).ProvisioningArtifacts![0]!.Id;
    const launched = await alice.sc.send(
      new ProvisionProductCommand({
        ProductId: products["S3 Private Encrypted Bucket"],
        ProvisioningArtifactId: artifact,
        ProvisionedProductName: "history-bucket",
        ProvisionToken: "history-bucket",
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: alice.arn }],
      }),
    );
    await waitForRecord(alice.sc, launched.RecordDetail!.RecordId!);
    const recordId = launched.RecordDetail!.RecordId;
    expect((await admin.sc.send(new ListRecordHistoryCommand({}))).RecordDetails).toEqual([]);
    expect((await admin.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Role", Value: "self" } }))).RecordDetails).toEqual([]);
    const account = await admin.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Account", Value: "self" } }));
    expect(account.RecordDetails?.map((r) => r.RecordId)).toEqual([recordId]);
    const byProvisionedProduct = await admin.sc.send(
      new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Account", Value: "self" }, SearchFilter: { Key: "provisionedproduct", Value: launched.RecordDetail!.ProvisionedProductId } }),
    );
    expect(byProvisionedProduct.RecordDetails?.map((r) => r.RecordId)).toEqual([recordId]);
    const otherProduct = await admin.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Account", Value: "self" }, SearchFilter: { Key: "product", Value: products["S3 Synapse Bucket"] } }));
    expect(otherProduct.RecordDetails).toEqual([]);
    expect((await failure(alice.sc.send(new ListRecordHistoryCommand({ AccessLevelFilter: { Key: "Role", Value: "self" } })))).name).toBe("AccessDeniedException");
    expect((await failure(admin.sc.send(new ListRecordHistoryCommand({ SearchFilter: { Key: "colour", Value: "x" } })))).name).toBe("InvalidParametersException");
    expect((await failure(admin.sc.send(new ListRecordHistoryCommand({ PageSize: 21 })))).name).toBe("InvalidParametersException");
  });
});
