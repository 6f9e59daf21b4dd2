/**
 * Shared with me when more is shared than fits on My products: the newest ten there, a link to all
 * of them, and a page of its own that pages through every one, newest share first (it once
 * stopped at 200 without saying so). A cursor in an address that the portal did not give (a stale
 * or edited bookmark) says what is wrong, here and on the admin lists, instead of a server error.
 *
 * The shares are written straight into PostgreSQL (products of a colleague who never signs in,
 * unknown to AWS, which the portal's reconciliation leaves alone): sharing itself, through AWS,
 * is e2e/sharing.spec.ts.
 */
import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2ePostgresServer } from "./support/ports";
import { storageStateFor } from "./support/users";

test.use({ storageState: storageStateFor("bob") });

const run = Date.now().toString(36);
const sharer = `sharer-${run}@example.org`;
const SHARES = 12;
const nameOf = (j: number) => `shared-${run}-${String(j).padStart(2, "0")}`;
const FOREIGN_CURSOR = "bm90LWEtY3Vyc29y"; // base64url of "not-a-cursor": well-formed, not a position

test.beforeAll(async () => {
  const db = new pg.Client({ connectionString: `${e2ePostgresServer}/quartermaster` });
  await db.connect();
  try {
    const owner = await db.query<{ id: string }>(
      `INSERT INTO users (id, issuer, subject, email, name, role, aws_session_name, updated_at)
       VALUES (gen_random_uuid(), 'https://idp.example', $1, $1, 'Sam Sharer', 'USER', $1, now()) RETURNING id`,
      [sharer],
    );
    const bob = await db.query<{ aws_session_name: string | null; email: string }>("SELECT aws_session_name, email FROM users WHERE email = 'bob@example.org'");
    const principal = `arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/${bob.rows[0]!.aws_session_name ?? bob.rows[0]!.email}`;
    for (let j = 0; j < SHARES; j++) {
      const product = await db.query<{ id: string }>(
        `INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, outputs, updated_at)
         VALUES (gen_random_uuid(), $1, $2, 'prod-aaaaaaaaaaaaa', 'S3 Private Encrypted Bucket', 'pa-aaaaaaaaaaaaa', 'v1', 'AVAILABLE', $2, $3, now()) RETURNING id`,
        [owner.rows[0]!.id, nameOf(j), JSON.stringify([{ key: "BucketName", value: `bucket-${run}-${j}` }])],
      );
      // Shared long ago (j hours after the start of 2026), so a share made now by another spec is newer.
      await db.query("INSERT INTO product_shares (provisioned_product_id, principal_arn, since) VALUES ($1, $2, timestamp '2026-01-01' + $3 * interval '1 hour')", [product.rows[0]!.id, principal, j]);
    }
  } finally {
    await db.end();
  }
});

test("bob sees the newest shares on My products and pages through all of them on Shared with me", async ({ page }) => {
  await page.goto("/products");
  const section = page.getByRole("region", { name: "Shared with me" });
  await expect(section.getByRole("table", { name: "Products others shared with you" }).getByRole("row")).toHaveCount(11); // header + the newest 10
  const all = section.getByRole("link", { name: /^All \d+ shared with you$/ });
  const total = Number((await all.textContent())!.match(/\d+/)![0]);
  expect(total).toBeGreaterThanOrEqual(SHARES);
  await expect(section).toContainText(`The newest 10 of ${total}.`);

  // By keyboard: the link, then the page of its own.
  await all.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/products\/shared$/);
  await expect(page.getByRole("heading", { level: 1, name: "Shared with me" })).toBeVisible();

  // Five a page (the address carries it): every share of Sam's once, newest first, with its bucket.
  await page.goto("/products/shared?limit=5");
  const seen: string[] = [];
  for (let pages = 1; ; pages++) {
    const table = page.getByRole("table", { name: "Products others shared with you, newest share first" });
    // (The total is not compared across pages: the sharing spec may share with bob meanwhile.)
    await expect(page.getByRole("navigation", { name: "Pages of shared products" })).toContainText(/Showing [1-5] of \d+ shared products/);
    const samsRows = table.getByRole("row").filter({ hasText: sharer });
    for (const text of await samsRows.allTextContents()) {
      const name = text.match(new RegExp(`shared-${run}-\\d\\d`))![0];
      expect(text).toContain(`bucket-${run}-${Number(name.slice(-2))}`);
      seen.push(name);
    }
    const next = page.getByRole("link", { name: "Next page" });
    if ((await next.count()) === 0) break;
    expect(pages).toBeLessThan(100);
    const href = (await next.getAttribute("href"))!;
    expect(href).toMatch(/^\/products\/shared\?limit=5&cursor=/);
    await next.click();
    await expect(page).toHaveURL(href);
  }
  expect(seen).toEqual(Array.from({ length: SHARES }, (_, j) => nameOf(SHARES - 1 - j)));
  await page.getByRole("link", { name: "First page" }).click();
  await expect(page).not.toHaveURL(/cursor=/);
});

test("a cursor the portal did not give says what is wrong, on Shared with me and on the admin lists", async ({ page, browser }) => {
  const response = await page.goto(`/products/shared?cursor=${FOREIGN_CURSOR}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("alert").filter({ hasText: "These filters cannot be used" })).toContainText("cursor: cursor is not one the portal gave; start from the first page");
  await page.getByRole("link", { name: "Show the list without filters" }).click();
  await expect(page).toHaveURL(/\/products\/shared$/);
  await expect(page.getByRole("table", { name: /Products others shared with you/ })).toBeVisible();

  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  try {
    const adminPage = await admin.newPage();
    for (const list of ["/admin/products", "/admin/users"]) {
      const answer = await adminPage.goto(`${list}?cursor=${FOREIGN_CURSOR}`);
      expect(answer?.status(), list).toBe(200);
      await expect(adminPage.getByRole("alert").filter({ hasText: "These filters cannot be used" }), list).toContainText("cursor is not one the portal gave");
    }
  } finally {
    await admin.close();
  }
});
