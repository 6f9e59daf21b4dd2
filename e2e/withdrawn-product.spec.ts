/**
 * A product launched from the catalog that an administrator has since withdrawn (taken out of the
 * person's portfolios): it keeps running and stays the person's, its page works, and Update says why
 * it cannot be done instead of failing with a server error.
 */
import { expect, test } from "@playwright/test";
import pg from "pg";
import { launchBucket } from "./support/api";
import { e2ePostgresServer } from "./support/ports";
import { storageStateFor } from "./support/users";

test.use({ storageState: storageStateFor("alice") });

// The catalog's products come from the emulator's fixed catalog; this id is well-formed and in none
// of alice's portfolios. Pointing the portal's record at it is what a withdrawal looks like to the
// portal: the product it recorded at launch is no longer one she can describe.
const WITHDRAWN_PRODUCT = "prod-zzzzzzzzzzzzz";

test("alice's product whose catalog entry was withdrawn: its page works and Update explains, no server error", async ({ page }) => {
  const product = await launchBucket(page.request, `withdrawn-${Date.now().toString(36)}`);
  const db = new pg.Client({ connectionString: `${e2ePostgresServer}/quartermaster` });
  await db.connect();
  try {
    const changed = await db.query("UPDATE provisioned_products SET product_id = $1 WHERE id = $2", [WITHDRAWN_PRODUCT, product.id]);
    expect(changed.rowCount).toBe(1);
  } finally {
    await db.end();
  }

  await page.goto(`/products/${product.id}`);
  await expect(page.getByRole("heading", { level: 1, name: product.name })).toBeVisible();
  await page.getByRole("link", { name: "Update" }).click();

  await expect(page).toHaveURL(new RegExp(`/products/${product.id}/update$`));
  await expect(page.getByRole("heading", { level: 1, name: `${product.name} cannot be updated here` })).toBeVisible();
  const explanation = page.getByRole("status").filter({ hasText: "is no longer in your catalog" });
  await expect(explanation).toContainText("S3 Private Encrypted Bucket");
  await expect(explanation).toContainText("you can still terminate it");
  const response = await page.request.get(`/products/${product.id}/update`);
  expect(response.status()).toBe(200);

  await page.getByRole("link", { name: `Back to ${product.name}` }).click();
  await expect(page.getByRole("button", { name: /Terminate/ })).toBeVisible();
});
