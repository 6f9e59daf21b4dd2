import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
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

  for (const path of ["/products", "/catalog"]) {
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
