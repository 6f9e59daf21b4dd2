import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  DescribeProductCommand,
  DescribeProvisionedProductCommand,
  ProvisionProductCommand,
  SearchProductsCommand,
  SearchProvisionedProductsCommand,
  UpdateProvisionedProductCommand,
} from "@aws-sdk/client-service-catalog";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { assume, control, failure, productsByName, scClient, start, stsClient, waitForRecord, type Session } from "./helpers";

let emulator: RunningEmulator;
let alice: Session;

beforeAll(async () => {
  emulator = await start();
  alice = await assume(emulator, "alice");
});
beforeEach(async () => {
  await control(emulator, "POST", "reset");
});
afterAll(() => emulator.close());

describe("faults as the SDK sees them", () => {
  it("throttles the next calls with ThrottlingException, which the SDK retries until it succeeds", async () => {
    await control(emulator, "POST", "faults", { throttleNext: 2 });
    const client = scClient(emulator, alice.credentials, { maxAttempts: 3 });
    const result = await client.send(new SearchProductsCommand({}));
    expect(result.$metadata.attempts).toBe(3);
    expect(result.ProductViewSummaries).toHaveLength(3);
    const calls = await control(emulator, "GET", "calls");
    expect(calls.calls).toContainEqual({ service: "servicecatalog", operation: "SearchProducts", caller: alice.arn, count: 3, errors: 2 });
  });

  it("surfaces throttling as the typed exception once retries run out", async () => {
    await control(emulator, "POST", "faults", { throttlingRate: 1, operations: ["SearchProducts"] });
    const error = await failure(scClient(emulator, alice.credentials, { maxAttempts: 2 }).send(new SearchProductsCommand({})));
    expect(error.name).toBe("ThrottlingException");
    expect(error.message).toBe("Rate exceeded");
    expect(error.$metadata.attempts).toBe(2);
    // Other operations are untouched.
    await expect(alice.sc.send(new DescribeProductCommand({ Name: "S3 Synapse Bucket" }))).resolves.toBeTruthy();
    await expect(stsClient(emulator).send(new GetCallerIdentityCommand({}))).resolves.toBeTruthy();
  });

  it("limits faults to the callers named, leaving everyone else alone", async () => {
    const bob = await assume(emulator, "bob");
    await control(emulator, "POST", "faults", { throttlingRate: 1, callers: [bob.arn] });
    const error = await failure(scClient(emulator, bob.credentials, { maxAttempts: 2 }).send(new SearchProductsCommand({})));
    expect(error.name).toBe("ThrottlingException");
    await expect(alice.sc.send(new SearchProductsCommand({}))).resolves.toBeTruthy();
    expect((await control(emulator, "GET", "faults")).callers).toEqual([bob.arn]);
  });

  it("succeeds under a low throttling rate with the portal's adaptive retry", async () => {
    await control(emulator, "POST", "faults", { throttlingRate: 0.2 });
    const client = scClient(emulator, alice.credentials, { maxAttempts: 10, retryMode: "adaptive" });
    for (let i = 0; i < 5; i++) await expect(client.send(new SearchProductsCommand({}))).resolves.toBeTruthy();
  });

  it("fails with HTTP 500 InternalFailure at the internal error rate, for STS too", async () => {
    await control(emulator, "POST", "faults", { internalErrorRate: 1 });
    const error = await failure(alice.sc.send(new SearchProductsCommand({})));
    expect(error.name).toBe("InternalFailure");
    expect(error.$metadata.httpStatusCode).toBe(500);
    const stsError = await failure(stsClient(emulator).send(new GetCallerIdentityCommand({})));
    expect(stsError.name).toBe("InternalFailure");
    expect(stsError.$metadata.httpStatusCode).toBe(500);
    await control(emulator, "DELETE", "faults");
    await expect(alice.sc.send(new SearchProductsCommand({}))).resolves.toBeTruthy();
  });

  it("adds latency", async () => {
    await control(emulator, "POST", "faults", { latencyMs: 150 });
    const started = Date.now();
    await alice.sc.send(new SearchProductsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("lets SearchProvisionedProducts lag behind the account while Describe stays current, until the lag is lifted or the index ages out", async () => {
    const products = await productsByName(alice.sc);
    const productId = products["S3 Private Encrypted Bucket"]!;
    const artifactId = (await alice.sc.send(new DescribeProductCommand({ Id: productId }))).ProvisioningArtifacts![0]!.Id!;
    const launch = async (name: string) => {
      const { RecordDetail } = await alice.sc.send(
        new ProvisionProductCommand({ ProductId: productId, ProvisioningArtifactId: artifactId, ProvisionedProductName: name, ProvisionToken: name, ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: alice.arn }] }),
      );
      await waitForRecord(alice.sc, RecordDetail!.RecordId!);
      return RecordDetail!.ProvisionedProductId!;
    };
    const listed = async () =>
      Object.fromEntries(
        ((await alice.sc.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "User", Value: "self" } }))).ProvisionedProducts ?? []).map((p) => [p.Name!, { status: p.Status, lastRecordId: p.LastRecordId }]),
      );
    const first = await launch("lag-first");
    const firstRecord = (await listed())["lag-first"]!.lastRecordId;

    await control(emulator, "POST", "faults", { searchLagMs: 60_000 });
    expect(Object.keys(await listed())).toEqual(["lag-first"]); // the index as of now
    const second = await launch("lag-second");
    const { RecordDetail: update } = await alice.sc.send(new UpdateProvisionedProductCommand({ ProvisionedProductId: first, UpdateToken: "lag-update", ProvisioningParameters: [{ Key: "RestrictSameRegionDownload", Value: "false" }] }));
    await waitForRecord(alice.sc, update!.RecordId!);
    // The search has not caught up: the new product is missing, the updated one shows its launch record.
    expect(await listed()).toEqual({ "lag-first": { status: "AVAILABLE", lastRecordId: firstRecord } });
    // Describe reads the product itself.
    expect((await alice.sc.send(new DescribeProvisionedProductCommand({ Id: second }))).ProvisionedProductDetail).toMatchObject({ Name: "lag-second", Status: "AVAILABLE" });
    expect((await alice.sc.send(new DescribeProvisionedProductCommand({ Id: first }))).ProvisionedProductDetail!.LastRecordId).toBe(update!.RecordId);
    expect((await control(emulator, "GET", "faults")).searchLagMs).toBe(60_000);

    // Lifted: the next search is current.
    await control(emulator, "POST", "faults", { searchLagMs: 0 });
    expect(await listed()).toEqual({ "lag-first": { status: "AVAILABLE", lastRecordId: update!.RecordId }, "lag-second": { status: "AVAILABLE", lastRecordId: expect.any(String) } });

    // A short lag: behind at first, caught up once the index is older than the lag.
    await control(emulator, "POST", "faults", { searchLagMs: 2000 });
    await listed();
    await launch("lag-third");
    expect(Object.keys(await listed()).sort()).toEqual(["lag-first", "lag-second"]);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(Object.keys(await listed()).sort()).toEqual(["lag-first", "lag-second", "lag-third"]);
  });

  it("rejects an invalid fault body", async () => {
    const response = await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ throttlingRate: 2 }) });
    expect(response.status).toBe(400);
    const unknown = await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ chaos: true }) });
    expect(unknown.status).toBe(400);
  });
});

describe("control endpoints", () => {
  it("reports health", async () => {
    expect(await control(emulator, "GET", "health")).toMatchObject({ status: "ok", account: "123456789012", region: "us-east-1" });
  });

  it("counts calls per operation and caller, and resets the count", async () => {
    await stsClient(emulator).send(new GetCallerIdentityCommand({}));
    await alice.sc.send(new SearchProductsCommand({}));
    await alice.sc.send(new SearchProductsCommand({}));
    const calls = await control(emulator, "GET", "calls");
    expect(calls.byOperation).toEqual({ "sts:GetCallerIdentity": 1, "servicecatalog:SearchProducts": 2 });
    expect(calls.calls).toContainEqual({ service: "sts", operation: "GetCallerIdentity", caller: "arn:aws:iam::123456789012:user/quartermaster", count: 1, errors: 0 });
    expect((await control(emulator, "DELETE", "calls")).total).toBe(0);
    expect((await control(emulator, "GET", "calls")).total).toBe(0);
  });

  it("resets provisioned products, records, resources and faults but keeps sessions", async () => {
    const products = await productsByName(alice.sc);
    const artifact = (await alice.sc.send(new DescribeProductCommand({ Id: products["S3 Private Encrypted Bucket"] }))).ProvisioningArtifacts![0]!.Id;
    await alice.sc.send(
      new ProvisionProductCommand({
        ProductId: products["S3 Private Encrypted Bucket"],
        ProvisioningArtifactId: artifact,
        ProvisionedProductName: "r",
        ProvisionToken: "r",
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: alice.arn }],
      }),
    );
    await control(emulator, "POST", "faults", { latencyMs: 5 });
    expect((await control(emulator, "GET", "state")).provisionedProducts).toHaveLength(1);
    expect(await control(emulator, "POST", "reset")).toEqual({ status: "reset" });
    const state = await control(emulator, "GET", "state");
    expect(state.provisionedProducts).toEqual([]);
    expect(state.records).toEqual([]);
    expect(state.resources).toEqual({ buckets: [], instances: [], other: [] });
    expect(state.faults.latencyMs).toBe(0);
    expect(state.catalog.products.map((p: { id: string }) => p.id)).toEqual(Object.values(products));
    await expect(alice.sc.send(new SearchProductsCommand({}))).resolves.toBeTruthy();
  });

  it("answers unknown control paths with 404", async () => {
    expect((await fetch(`${emulator.url}/_emulator/nope`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/_emulator/reset`)).status).toBe(405);
  });
});
