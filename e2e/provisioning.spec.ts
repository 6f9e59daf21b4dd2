import { expect, test, type Page } from "@playwright/test";
import { myProducts, sameOrigin } from "./support/api";
import { emulatorUrl } from "./support/ports";
import { storageStateFor } from "./support/users";

// Alice's products must be invisible to Bob; the specs share one server, so names are unique per run.
const run = Date.now().toString(36);

async function openLaunchForm(page: Page, productName: string) {
  await page.goto("/catalog");
  await page.getByRole("link", { name: `Launch ${productName}` }).click();
  await expect(page.getByRole("heading", { name: `Launch ${productName}` })).toBeVisible();
  // The form is generated once the product's parameters have loaded.
  await expect(page.getByRole("button", { name: "Launch product" })).toBeVisible();
}

test.describe("the launch form before its script runs", () => {
  test.use({ storageState: storageStateFor("alice"), javaScriptEnabled: false });

  test("opens with the product's defaults already in the fields (the server's HTML)", async ({ page }) => {
    await page.goto("/catalog");
    await page.getByRole("link", { name: "Launch EC2 Linux Instance" }).click();
    await expect(page.getByRole("heading", { name: "Launch EC2 Linux Instance" })).toBeVisible();
    await expect(page.getByLabel(/^Instance type/)).toHaveValue("t3a.small");
    await expect(page.getByLabel(/^Disk size \(GiB\)/)).toHaveValue("30");
  });
});

test.describe.serial("alice provisions as herself", () => {
  test.use({ storageState: storageStateFor("alice") });
  const bucketName = `alice-data-${run}`;
  const instanceName = `alice-vm-${run}`;

  test("bad input gets clear field errors and launches nothing", async ({ page }) => {
    await openLaunchForm(page, "S3 Private Encrypted Bucket");
    await page.getByRole("textbox", { name: /^Name\b/ }).fill(`alice-bad-${run}`);
    // The sharing parameter uses the Sharing panel's editor: a bucket ARN is refused as it is pasted.
    await page.getByLabel("Share by ARN").fill("arn:aws:s3:::someone-elses-bucket");
    await page.getByRole("button", { name: "Add ARNs" }).click();
    await expect(page.getByRole("list", { name: "Refused entries" })).toContainText("an S3 bucket ARN is not a principal");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 key").fill("ownerEmail");
    await page.getByLabel("Tag 1 value").fill("mallory@example.org");
    await page.getByRole("button", { name: "Launch product" }).click();

    const summary = page.getByRole("alert").filter({ hasText: /problems?$|problem/ });
    await expect(summary).toContainText("There is a problem");
    await expect(summary).toBeFocused();
    await expect(page.getByLabel("Tag 1 key")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#tag-0-key-error")).toContainText(/reserved/i);
    await expect(page).toHaveURL(/\/launch$/);

    // The server refuses the same body with 422 naming the field, before any AWS call.
    const response = await page.request.post("/api/products", {
      headers: sameOrigin,
      data: {
        name: `alice-bad-${run}`,
        productId: new URL(page.url()).pathname.split("/")[2],
        provisioningArtifactId: await page.getByRole("combobox", { name: "Version" }).inputValue(),
        parameters: { BucketName: "", S3UserARNs: ["arn:aws:s3:::someone-elses-bucket"], RestrictSameRegionDownload: "true" },
        tags: [{ key: "OwnerEmail", value: "mallory@example.org" }],
        tagOptions: { ManagedBy: "Quartermaster" },
      },
    });
    expect(response.status()).toBe(422);
    const body = await response.json();
    const paths = body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toContain("tags.0.key");
    expect(paths.some((p: string) => p.startsWith("parameters.S3UserARNs"))).toBe(true);
  });

  test("launches an encrypted bucket shared with one ARN and sees it become available with its URL", async ({ page }) => {
    await openLaunchForm(page, "S3 Private Encrypted Bucket");
    await page.getByRole("textbox", { name: /^Name\b/ }).fill(bucketName);
    await page.getByLabel("Share by ARN").fill("arn:aws:iam::123456789012:role/Collaborator");
    await page.getByRole("button", { name: "Add ARNs" }).click();
    await expect(page.getByRole("list", { name: "Who has access" })).toContainText("arn:aws:iam::123456789012:role/Collaborator");
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 key").fill("Purpose");
    await page.getByLabel("Tag 1 value").fill("MRI scans");
    await page.getByRole("button", { name: "Launch product" }).click();

    await expect(page.getByRole("heading", { name: bucketName })).toBeVisible();
    await expect(page.locator("#product-status")).toHaveText("Available", { timeout: 60_000 });
    await expect(page.getByRole("link", { name: /^https:\/\/.*s3/ })).toBeVisible();
    const tags = page.getByRole("region", { name: "Tags" });
    await expect(tags).toContainText("alice@example.org");
    await expect(tags).toContainText("Neuroscience");
    await expect(tags).toContainText("MRI scans");

    await page.getByRole("link", { name: "My products" }).first().click();
    await expect(page.getByRole("link", { name: bucketName })).toBeVisible();
  });

  test("launches an instance, changes its type after a replacement warning, then terminates it", async ({ page }) => {
    await openLaunchForm(page, "EC2 Linux Instance");
    await expect(page.getByRole("combobox", { name: "Version" })).toHaveValue(/.+/);
    await expect(page.getByRole("combobox", { name: "Version" }).locator("option", { hasText: "deprecated" })).toHaveCount(1);
    await page.getByRole("textbox", { name: /^Name\b/ }).fill(instanceName);
    await page.getByLabel("Schedule").selectOption("office-hours");
    await page.getByRole("button", { name: "Launch product" }).click();

    await expect(page.getByRole("heading", { name: instanceName })).toBeVisible();
    await expect(page.locator("#product-status")).toHaveText("Available", { timeout: 60_000 });
    const ssm = page.getByRole("region", { name: "Connect with SSM" });
    await expect(ssm).toContainText(/aws ssm start-session --target i-[0-9a-f]+/);
    await ssm.getByLabel("Local port").fill("9999");
    await expect(ssm).toContainText('"localPortNumber":["9999"]');

    await page.getByRole("link", { name: "Update" }).click();
    await expect(page.getByRole("heading", { name: `Update ${instanceName}` })).toBeVisible();
    await page.getByLabel("Instance type").selectOption("m6a.large");
    await expect(page.getByRole("region", { name: "What changes" })).toContainText("m6a.large");
    await page.getByRole("button", { name: "Review changes" }).click();
    await expect(page.getByText(/instance will be recreated/i)).toBeVisible({ timeout: 30_000 });
    await page.getByRole("button", { name: "Apply update" }).click();

    await expect(page.getByRole("heading", { name: instanceName })).toBeVisible();
    await expect(page.getByRole("region", { name: "Parameters" })).toContainText("m6a.large");
    await expect(page.locator("#product-status")).toHaveText("Available", { timeout: 60_000 });

    await page.getByRole("button", { name: "Terminate" }).click();
    const dialog = page.getByRole("dialog", { name: `Terminate ${instanceName}?` });
    await expect(dialog).toContainText(/instance/i);
    const confirm = dialog.getByRole("button", { name: "Terminate product" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(/Type .* to confirm/).fill(instanceName);
    await confirm.click();
    await expect(page.locator("#product-status")).toHaveText("Terminated", { timeout: 60_000 });
  });
});

test.describe("isolation", () => {
  test.use({ storageState: storageStateFor("bob") });

  test("bob sees none of alice's products and cannot open one by id", async ({ page, browser }) => {
    // Alice launches one through the API (the same route the form uses).
    const alice = await browser.newContext({ storageState: storageStateFor("alice") });
    const catalog = (await (await alice.request.get("/api/catalog")).json()).products as { productId: string; name: string }[];
    const bucket = catalog.find((p) => p.name === "S3 Private Encrypted Bucket")!;
    const detail = await (await alice.request.get(`/api/catalog/${bucket.productId}`)).json();
    const launched = await alice.request.post("/api/products", {
      headers: sameOrigin,
      data: {
        name: `alice-private-${run}`,
        productId: bucket.productId,
        provisioningArtifactId: detail.defaultVersionId,
        parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" },
        tags: [],
        tagOptions: { ManagedBy: "Quartermaster" },
      },
    });
    expect(launched.status()).toBe(201);
    const product = (await launched.json()) as { id: string; name: string };
    await alice.close();

    await page.goto("/products");
    await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    await expect(page.getByRole("link", { name: product.name })).toHaveCount(0);
    const listed = await myProducts(page.request, "terminated=1");
    expect(listed.map((p) => p.name)).not.toContain(product.name);

    const api = await page.request.get(`/api/products/${product.id}`);
    expect(api.status()).toBe(404);
    const terminate = await page.request.post(`/api/products/${product.id}/terminate`, { headers: sameOrigin, data: { confirmName: product.name } });
    expect(terminate.status()).toBe(404);
    const response = await page.goto(`/products/${product.id}`);
    expect(response?.status()).toBe(404);
  });
});

test.describe("a launch AWS refuses", () => {
  test.use({ storageState: storageStateFor("bob") });

  test("bob sees why, launches again under the same name, and removes the failed attempt", async ({ page, request }) => {
    const name = `bob-retry-${run}`;
    await openLaunchForm(page, "S3 Private Encrypted Bucket");
    // AWS throttles bob's ProvisionProduct calls (and only his) until the portal's retries run out.
    const state = (await (await request.get(`${emulatorUrl}/_emulator/state`)).json()) as { sessions: { arn: string; sourceIdentity?: string }[] };
    const bobsArns = [...new Set(state.sessions.filter((s) => s.sourceIdentity === "bob@example.org").map((s) => s.arn))];
    expect(bobsArns.length).toBeGreaterThan(0);
    const faults = await request.post(`${emulatorUrl}/_emulator/faults`, { data: { throttleNext: 5, operations: ["ProvisionProduct"], callers: bobsArns } });
    expect(faults.ok()).toBe(true);

    await page.getByRole("textbox", { name: /^Name\b/ }).fill(name);
    await page.getByRole("button", { name: "Launch product" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /busy/ })).toContainText("Nothing was changed", { timeout: 30_000 });
    await expect(page).toHaveURL(/\/launch$/);

    // "Try again": same form, same name, and it launches.
    await page.getByRole("button", { name: "Launch product" }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.locator("#product-status")).toHaveText("Available", { timeout: 60_000 });

    // The refused attempt is listed as failed; it can be removed, and AWS is not asked to delete anything.
    await page.goto("/products");
    const failedRow = page.getByRole("row").filter({ hasText: name }).filter({ hasText: "Failed" });
    await expect(failedRow).toHaveCount(1);
    await failedRow.getByRole("link", { name }).click();
    await expect(page.getByRole("link", { name: "Update" })).toHaveCount(0);
    await page.getByRole("button", { name: "Remove" }).click();
    const dialog = page.getByRole("dialog", { name: `Remove ${name}?` });
    await expect(dialog).toContainText("AWS never created this product");
    await dialog.getByLabel(/Type .* to confirm/).fill(name);
    await dialog.getByRole("button", { name: "Remove product" }).click();
    await expect(page.locator("#product-status")).toHaveText("Terminated");

    await page.goto("/products");
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(1);
    await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Available");
  });
});

