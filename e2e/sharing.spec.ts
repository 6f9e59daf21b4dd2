/**
 * Sharing a bucket as people do it in the browser: alice shares hers with bob (found by name) and
 * with a role by ARN, bob finds it under Shared with me, alice removes bob and it leaves his list.
 * After each applied change the emulator's bucket policy names exactly the expected principals.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { launchBucket } from "./support/api";
import { emulatorUrl } from "./support/ports";
import { storageStateFor } from "./support/users";

const run = Date.now().toString(36);
const ANALYST = "arn:aws:iam::123456789012:role/Analyst";
const arnOf = (email: string) => `arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/${email}`;

test.describe.configure({ mode: "serial" });

async function settled(request: APIRequestContext, id: string) {
  await expect.poll(async () => ((await (await request.get(`/api/products/${id}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("AVAILABLE");
}

async function policyPrincipals(request: APIRequestContext, id: string): Promise<string[]> {
  const product = (await (await request.get(`/api/products/${id}`)).json()) as { outputs: { key: string; value: string }[] };
  const bucketName = product.outputs.find((o) => o.key === "BucketName")!.value;
  const state = (await (await request.get(`${emulatorUrl}/_emulator/state`)).json()) as { resources: { buckets: { name: string; principals: string[] }[] } };
  return [...new Set(state.resources.buckets.find((b) => b.name === bucketName)!.principals)].sort();
}

test("alice shares her bucket with bob by name and with a role by ARN; bob sees it under Shared with me until alice removes him", async ({ browser }) => {
  test.setTimeout(150_000);
  const alice = await browser.newContext({ storageState: storageStateFor("alice") });
  const bob = await browser.newContext({ storageState: storageStateFor("bob") });
  try {
    const bucket = await launchBucket(alice.request, `alice-shared-${run}`);
    const page = await alice.newPage();
    await page.goto(`/products/${bucket.id}`);
    const sharing = page.getByRole("region", { name: "Sharing" });
    const access = sharing.getByRole("list", { name: "Who has access" });
    await expect(access).toContainText("alice@example.org");
    await expect(access).toContainText("owner, always has access");

    // Share with a colleague, found by name.
    await sharing.getByLabel(/Search by email or name/).fill("bob");
    await sharing.getByRole("radio", { name: /bob@example\.org/ }).check();
    await sharing.getByRole("button", { name: "Add colleague" }).click();
    // Share by ARN: a valid role, a bucket ARN (refused with its own message) and the owner (dropped with a note).
    await sharing.getByLabel("Share by ARN").fill(`${ANALYST}\narn:aws:s3:::not-a-principal, ${arnOf("alice@example.org")}`);
    await sharing.getByRole("button", { name: "Add ARNs" }).click();
    await expect(sharing.getByRole("list", { name: "Refused entries" })).toContainText("an S3 bucket ARN is not a principal");
    await expect(sharing.getByRole("list", { name: "Notes" })).toContainText("is the owner, who always has access: left out");

    await sharing.getByRole("button", { name: "Review sharing changes" }).click();
    const changes = sharing.getByRole("list", { name: "What will change" });
    await expect(changes).toContainText("bob@example.org gains read/write");
    await expect(changes).toContainText(`${ANALYST} gains read/write`);
    await sharing.getByRole("button", { name: "Apply sharing changes" }).click();
    await settled(alice.request, bucket.id);
    await expect(access).toContainText("portal user");
    await expect(access).toContainText("IAM role, account 123456789012");
    expect(await policyPrincipals(alice.request, bucket.id)).toEqual([arnOf("alice@example.org"), arnOf("bob@example.org"), ANALYST].sort());

    // Bob: under Shared with me, read-only.
    const bobPage = await bob.newPage();
    await bobPage.goto("/products");
    const shared = bobPage.getByRole("region", { name: "Shared with me" });
    await expect(shared.getByRole("row").filter({ hasText: bucket.name })).toContainText("alice@example.org");
    await expect(shared.getByRole("button")).toHaveCount(0);

    // Alice removes bob (undo first, then for real).
    await page.reload();
    await sharing.getByRole("button", { name: /^Remove .*bob@example\.org/ }).click();
    await sharing.getByRole("button", { name: /^Undo removing .*bob@example\.org/ }).click();
    await expect(sharing.getByRole("button", { name: "Review sharing changes" })).toHaveCount(0);
    await sharing.getByRole("button", { name: /^Remove .*bob@example\.org/ }).click();
    await sharing.getByRole("button", { name: "Review sharing changes" }).click();
    await expect(changes).toHaveText("bob@example.org loses access");
    await sharing.getByRole("button", { name: "Apply sharing changes" }).click();
    await settled(alice.request, bucket.id);
    await expect(access).not.toContainText("bob@example.org");
    expect(await policyPrincipals(alice.request, bucket.id)).toEqual([arnOf("alice@example.org"), ANALYST].sort());

    await bobPage.reload();
    await expect(bobPage.getByRole("region", { name: "Shared with me" }).getByRole("row").filter({ hasText: bucket.name })).toHaveCount(0);
  } finally {
    await Promise.all([alice.close(), bob.close()]);
  }
});
