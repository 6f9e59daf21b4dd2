/**
 * Ownership transfer as an administrator does it in the browser, and what the people involved
 * see afterwards; offboarding and deactivating someone who leaves.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { launchBucket, sameOrigin } from "./support/api";
import { carol, signIn, storageStateFor } from "./support/users";

const run = Date.now().toString(36);

test.describe.configure({ mode: "serial" });

test("an admin transfers alice's bucket to bob; alice loses it, bob has it with his tags", async ({ browser }) => {
  test.setTimeout(120_000);
  const alice = await browser.newContext({ storageState: storageStateFor("alice") });
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const bob = await browser.newContext({ storageState: storageStateFor("bob") });
  try {
    const bucket = await launchBucket(alice.request, `alice-handover-${run}`);

    const page = await admin.newPage();
    await page.goto(`/products/${bucket.id}`);
    await expect(page.getByText("owned by alice@example.org")).toBeVisible();
    await page.getByRole("button", { name: "Transfer ownership…" }).click();
    const dialog = page.getByRole("dialog", { name: `Transfer ${bucket.name}` });
    await dialog.getByLabel(/Search by email or name/).fill("bob");
    await dialog.getByRole("radio", { name: /bob@example\.org/ }).check();
    await dialog.getByRole("button", { name: "Review the transfer" }).click();

    const changes = dialog.getByRole("table", { name: "Changes the transfer makes" });
    await expect(changes.getByRole("row", { name: /^Owner / })).toContainText("alice@example.org");
    await expect(changes.getByRole("row", { name: /^Owner / })).toContainText("bob@example.org");
    await expect(changes.getByRole("row", { name: /Tag OwnerEmail/ })).toContainText("bob@example.org");
    await expect(changes.getByRole("row", { name: /Parameter OwnerPrincipalArn/ })).toContainText("bob@example.org");
    await expect(dialog.getByText("alice@example.org (loses access)")).toBeVisible();
    await expect(dialog.getByText("bob@example.org (gains access)")).toBeVisible();
    await dialog.getByRole("button", { name: "Transfer to bob@example.org" }).click();

    // The page follows the steps, then names the new owner.
    await expect(page.getByText("owned by bob@example.org")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("listitem").filter({ hasText: "Change of owner" })).toContainText("by admin@example.org");

    // Alice: the product is gone from her list, and its address is a 404.
    const alicePage = await alice.newPage();
    const gone = await alicePage.goto(`/products/${bucket.id}`);
    expect(gone?.status()).toBe(404);
    await alicePage.goto("/products");
    await expect(alicePage.getByRole("link", { name: bucket.name })).toHaveCount(0);

    // Bob: it is in his list, with his tags.
    const bobPage = await bob.newPage();
    await bobPage.goto("/products");
    await bobPage.getByRole("link", { name: bucket.name }).click();
    const tags = bobPage.getByRole("region", { name: "Tags" });
    await expect(tags).toContainText("bob@example.org");
    await expect(tags).toContainText("Genomics");
    await expect(tags).not.toContainText("alice@example.org");

    // The audit log shows the transfer, and exports it.
    await page.goto(`/admin/audit?action=product.transfer&targetType=provisioned-product&targetId=${bucket.id}`);
    const events = page.getByRole("table", { name: /Audit events/ });
    await expect(events.getByRole("row").filter({ hasText: "product.transfer" }).first()).toContainText("admin@example.org");
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    expect(csv).toContain("product.transfer");
    expect(csv).toContain(bucket.id);
    expect(csv).toContain("bob@example.org");
  } finally {
    await Promise.all([alice.close(), admin.close(), bob.close()]);
  }
});

test("carol leaves: an admin transfers all her products to bob, then deactivates her; her session stops and she cannot sign in", async ({ browser }) => {
  test.setTimeout(180_000);
  const carolContext = await browser.newContext();
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  try {
    // A retry of this test finds carol as the last attempt left her.
    const known = (await (await admin.request.get("/api/admin/users?q=carol%40example.org")).json()) as { items: { id: string; deactivatedAt: string | null }[] };
    for (const u of known.items.filter((u) => u.deactivatedAt)) await admin.request.post(`/api/admin/users/${u.id}/reactivate`, { headers: sameOrigin, data: {} });
    const carolPage = await carolContext.newPage();
    await signIn(carolPage, carol);
    await expect(carolPage.getByRole("heading", { name: "My products" })).toBeVisible();
    const first = await launchBucket(carolContext.request, `carol-a-${run}`);
    const second = await launchBucket(carolContext.request, `carol-b-${run}`);

    const page = await admin.newPage();
    await page.goto(`/admin/users?q=carol`);
    await page.getByRole("link", { name: carol.email, exact: true }).click();
    await expect(page.getByRole("heading", { name: "Carol Example" })).toBeVisible();
    const offboarding = page.getByRole("region", { name: "Offboarding" });
    await offboarding.getByLabel(/Search by email or name/).fill("bob@");
    await offboarding.getByRole("radio", { name: /bob@example\.org/ }).check();
    await offboarding.getByRole("button", { name: "Transfer all products…" }).click();
    await offboarding.getByRole("button", { name: "Yes, transfer them" }).click();
    await expect(offboarding.getByRole("status").first()).toContainText("In progress");
    await expect(offboarding.getByRole("status").first()).toContainText("Done: 2 moved to bob@example.org, 0 in progress, 0 need attention", { timeout: 120_000 });
    for (const product of [first, second]) await expect(offboarding.getByRole("row", { name: new RegExp(product.name) })).toContainText("Moved");

    await page.getByRole("button", { name: "Deactivate…" }).click();
    await page.getByRole("dialog", { name: `Deactivate ${carol.email}?` }).getByRole("button", { name: "Deactivate" }).click();
    await expect(page.getByRole("heading", { name: "Carol Example" })).toContainText("Deactivated");

    // Her open session stops at the next request.
    await carolPage.goto("/products");
    await expect(carolPage).toHaveURL(/\/signin\?error=Deactivated/);
    await expect(carolPage.getByRole("alert").filter({ hasText: "deactivated by an administrator" })).toBeVisible();
    expect((await carolContext.request.get("/api/me")).status()).toBe(401);
    // Signing in again is refused with the same explanation.
    await carolContext.clearCookies();
    await signIn(carolPage, carol);
    await expect(carolPage).toHaveURL(/\/signin\?error=Deactivated/);

    // Reactivated, she can sign in again (and has no products left).
    await page.getByRole("button", { name: "Reactivate…" }).click();
    await page.getByRole("dialog", { name: `Reactivate ${carol.email}?` }).getByRole("button", { name: "Reactivate" }).click();
    await expect(page.getByRole("heading", { name: "Carol Example" })).not.toContainText("Deactivated");
    await carolContext.clearCookies();
    await signIn(carolPage, carol);
    await expect(carolPage.getByRole("heading", { name: "My products" })).toBeVisible();
    await expect(carolPage.getByRole("link", { name: first.name })).toHaveCount(0);
  } finally {
    await Promise.all([carolContext.close(), admin.close()]);
  }
});
