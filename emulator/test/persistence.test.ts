import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeProductCommand, DescribeRecordCommand, ProvisionProductCommand, ServiceCatalogClient } from "@aws-sdk/client-service-catalog";
import { afterAll, describe, expect, it } from "vitest";
import { assume, productsByName, scClient, start, waitForRecord } from "./helpers";

const dir = mkdtempSync(path.join(tmpdir(), "qm-emulator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the state file", () => {
  it("survives a restart: sessions keep working and an in-flight record completes afterwards", async () => {
    const stateFile = path.join(dir, "nested", "emulator.json");
    const first = await start({ stateFile, timings: { provisionMs: 600, updateMs: 600, terminateMs: 600 } });
    const alice = await assume(first, "alice");
    const products = await productsByName(alice.sc);
    const artifact = (await alice.sc.send(new DescribeProductCommand({ Id: products["S3 Private Encrypted Bucket"] }))).ProvisioningArtifacts![0]!.Id;
    const { RecordDetail } = await alice.sc.send(
      new ProvisionProductCommand({
        ProductId: products["S3 Private Encrypted Bucket"],
        ProvisioningArtifactId: artifact,
        ProvisionedProductName: "persisted",
        ProvisionToken: "persisted",
        ProvisioningParameters: [{ Key: "OwnerPrincipalArn", Value: alice.arn }],
      }),
    );
    await first.close();
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(Object.keys(saved.sts.sessions)).toHaveLength(1);
    expect(JSON.stringify(saved)).toContain(RecordDetail!.RecordId);

    const second = await start({ stateFile, timings: { provisionMs: 600, updateMs: 600, terminateMs: 600 } });
    try {
      const client: ServiceCatalogClient = scClient(second, alice.credentials);
      const during = await client.send(new DescribeRecordCommand({ Id: RecordDetail!.RecordId }));
      expect(["CREATED", "IN_PROGRESS", "SUCCEEDED"]).toContain(during.RecordDetail?.Status);
      const done = await waitForRecord(client, RecordDetail!.RecordId!);
      expect(done.Status).toBe("SUCCEEDED");
      // The timer moved the state on and wrote it without further requests.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const written = JSON.parse(readFileSync(stateFile, "utf8"));
      const buckets = Object.values(written.serviceCatalog["123456789012/us-east-1"].resources.buckets) as Array<{ name: string }>;
      expect(buckets.map((b) => b.name)).toEqual([done.outputs.BucketName]);
    } finally {
      await second.close();
    }
  });
});
