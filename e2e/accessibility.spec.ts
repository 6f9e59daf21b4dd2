import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { launchBucket } from "./support/api";
import { storageStateFor } from "./support/users";

// Automated WCAG 2.1 A/AA checks on the pages people use; keyboard use is covered below.
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test("the sign-in page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/signin");
  await expectNoViolations(page);
});

test.describe("signed in", () => {
  test.use({ storageState: storageStateFor("alice") });

  for (const path of ["/products", "/catalog", "/cli"]) {
    test(`${path} has no serious accessibility violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      await expectNoViolations(page);
    });
  }

  test("the launch form has no serious accessibility violations", async ({ page }) => {
    await page.goto("/catalog");
    await page.getByRole("link", { name: "Launch S3 Private Encrypted Bucket" }).click();
    await expect(page.getByRole("button", { name: "Launch product" })).toBeVisible();
    await expectNoViolations(page);
  });

  test("a bucket's Sharing panel, with a change under review, has no serious accessibility violations", async ({ page }) => {
    const bucket = await launchBucket(page.request, `a11y-sharing-${Date.now().toString(36)}`);
    await page.goto(`/products/${bucket.id}`);
    const sharing = page.getByRole("region", { name: "Sharing" });
    await expect(sharing).toBeVisible();
    await expectNoViolations(page);
    await sharing.getByLabel("Share by ARN").fill("arn:aws:iam::123456789012:role/Analyst arn:aws:s3:::not-a-principal");
    await sharing.getByRole("button", { name: "Add ARNs" }).click();
    await sharing.getByRole("button", { name: "Review sharing changes" }).click();
    await expect(sharing.getByRole("list", { name: "What will change" })).toBeVisible();
    await expectNoViolations(page);
  });

  test("the skip link and navigation work from the keyboard", async ({ page }) => {
    await page.goto("/products");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    // The next Tab lands inside the main content, past the header.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Browse the catalog" })).toBeFocused();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalog" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();
  });
});

test.describe("the admin area", () => {
  test.use({ storageState: storageStateFor("admin") });

  for (const path of ["/admin", "/admin/products", "/admin/users"]) {
    test(`${path} has no serious accessibility violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      await expectNoViolations(page);
    });
  }

  test("a person's page and the transfer dialog, opened and used from the keyboard, have no serious violations", async ({ page, browser }) => {
    const alice = await browser.newContext({ storageState: storageStateFor("alice") });
    const bucket = await launchBucket(alice.request, `a11y-transfer-${Date.now().toString(36)}`);
    const me = (await (await alice.request.get("/api/me")).json()) as { id: string };
    await alice.close();

    await page.goto(`/admin/users/${me.id}`);
    await expect(page.getByRole("region", { name: "Offboarding" })).toBeVisible();
    await expectNoViolations(page);

    await page.goto(`/products/${bucket.id}`);
    await page.getByRole("button", { name: "Transfer ownership…" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: `Transfer ${bucket.name}` });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel(/Search by email or name/).focus();
    await page.keyboard.type("bob");
    const bob = dialog.getByRole("radio", { name: /bob@example\.org/ });
    await expect(bob).toBeVisible();
    await bob.focus();
    await page.keyboard.press("Space");
    await expect(bob).toBeChecked();
    await dialog.getByRole("button", { name: "Review the transfer" }).focus();
    await page.keyboard.press("Enter");
    await expect(dialog.getByRole("table", { name: "Changes the transfer makes" })).toBeVisible();
    await expectNoViolations(page);
    // Escape closes it without transferring anything.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page.getByText("owned by alice@example.org")).toBeVisible();
  });
});
