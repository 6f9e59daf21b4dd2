/**
 * My products as a person with more than a page of them uses it: pages that load more, a filter
 * and a sort that live in the address (a reload or a shared link keeps them), and a list that
 * follows a launch to the end by polling a cheap "has anything changed?" and refetching only
 * when it has.
 */
import { expect, test, type Request } from "@playwright/test";
import { launchBucket, sameOrigin } from "./support/api";
import { storageStateFor } from "./support/users";

const run = Date.now().toString(36);
const prefix = `pages-${run}`;

test.use({ storageState: storageStateFor("bob") });
test.describe.configure({ mode: "serial" });

test("bob pages through his products, filters and sorts them, and the address keeps the view", async ({ page }) => {
  test.setTimeout(120_000);
  const launched = await Promise.all(["b", "c", "a"].map((letter) => launchBucket(page.request, `${prefix}-${letter}`)));

  // The API sends what the list shows, a page at a time.
  const api = (await (await page.request.get(`/api/products?q=${prefix}&limit=2`)).json()) as { items: Record<string, unknown>[]; total: number; nextCursor: string | null };
  expect(api.total).toBe(3);
  expect(api.items).toHaveLength(2);
  expect(api.nextCursor).toBeTruthy();
  expect(Object.keys(api.items[0]!).sort()).toEqual(["createdAt", "id", "name", "productName", "status", "statusMessage", "updatedAt", "versionName"]);
  const badCursor = await page.request.get(`/api/products?cursor=not-ours`);
  expect(badCursor.status()).toBe(422);
  expect(await badCursor.text()).toContain("cursor");

  await page.goto(`/products?q=${prefix}&limit=2`);
  const rows = page.getByRole("table", { name: "Your provisioned products" }).getByRole("row");
  await expect(rows).toHaveCount(3); // header + 2
  await expect(page.getByText("Showing 2 of 3")).toBeVisible();
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(4);
  await expect(page.getByText("Showing 3 of 3")).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);

  await page.getByLabel("Sort by").selectOption("name");
  await expect(page).toHaveURL(/sort=name/);
  await expect(rows.nth(1)).toContainText(`${prefix}-a`);
  await page.reload();
  await expect(page.getByLabel("Sort by")).toHaveValue("name");
  await expect(page.getByLabel("Filter", { exact: true })).toHaveValue(prefix);
  await expect(rows.nth(1)).toContainText(`${prefix}-a`);
  await expect(rows.nth(2)).toContainText(`${prefix}-b`);

  await page.getByLabel("Filter", { exact: true }).fill(`${prefix}-c`);
  await expect(page).toHaveURL(new RegExp(`q=${prefix}-c`));
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(`${prefix}-c`);
  await page.getByLabel("Filter", { exact: true }).fill(`${prefix}-nothing`);
  await expect(page.getByRole("heading", { name: "No product matches the filter" })).toBeVisible();

  // An address the portal would not write: the default view, and which part was ignored.
  await page.goto("/products?sort=price");
  await expect(page.getByRole("alert").filter({ hasText: "Showing the default view" })).toContainText("sort is one of");
  expect(launched).toHaveLength(3);
});

test("a page is prefetched when the pointer or the keyboard reaches its link, not because the link is on screen", async ({ page }) => {
  const prefetched: string[] = [];
  page.on("request", (r) => {
    if (r.headers()["next-router-prefetch"]) prefetched.push(new URL(r.url()).pathname);
  });
  await page.goto(`/products?q=${prefix}`);
  const rows = page.getByRole("table", { name: "Your provisioned products" }).getByRole("row");
  await expect(rows).toHaveCount(4);
  const first = rows.nth(1).getByRole("link");
  const firstPath = (await first.getAttribute("href"))!;

  const hovered = page.waitForRequest((r) => !!r.headers()["next-router-prefetch"] && new URL(r.url()).pathname === firstPath);
  await first.hover();
  await hovered;
  const focused = page.waitForRequest((r) => !!r.headers()["next-router-prefetch"] && new URL(r.url()).pathname === "/cli");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "CLI access" }).focus();
  await focused;
  // Neither the two other rows nor the other header links (all on screen) were asked for.
  expect([...new Set(prefetched)].sort()).toEqual([firstPath, "/cli"].sort());
});

test("while a launch runs the list polls the changes summary and refetches only when it moved", async ({ page }) => {
  test.setTimeout(90_000);
  const catalog = (await (await page.request.get("/api/catalog")).json()) as { products: { productId: string; name: string }[] };
  const bucket = catalog.products.find((p) => p.name === "S3 Private Encrypted Bucket")!;
  const detail = (await (await page.request.get(`/api/catalog/${bucket.productId}`)).json()) as { defaultVersionId: string; launchPaths: { id: string }[] };
  const name = `${prefix}-live`;
  const response = await page.request.post("/api/products", {
    headers: sameOrigin,
    data: { name, productId: bucket.productId, provisioningArtifactId: detail.defaultVersionId, pathId: detail.launchPaths[0]?.id, parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" }, tags: [], tagOptions: { ManagedBy: "Quartermaster" } },
  });
  expect(response.status()).toBe(201);

  const versions: string[] = [];
  const listFetches: Request[] = [];
  page.on("response", async (r) => {
    const path = new URL(r.url()).pathname;
    if (path === "/api/products/changes") versions.push(((await r.json()) as { version: string }).version);
  });
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/products" && r.method() === "GET") listFetches.push(r);
  });
  await page.goto(`/products?q=${name}`);
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(page.getByRole("status").filter({ hasText: "in progress — this list updates by itself" })).toBeVisible();
  await expect(row).toContainText("Available", { timeout: 45_000 });
  await expect(page.getByRole("status").filter({ hasText: "in progress" })).toHaveCount(0);
  // It polled the cheap summary, and fetched the list only when the summary's version moved
  // (not on every poll): at most once per distinct version seen.
  expect(versions.length).toBeGreaterThanOrEqual(1);
  expect(listFetches.length).toBeGreaterThanOrEqual(1);
  expect(listFetches.length).toBeLessThanOrEqual(new Set(versions).size);
  // Once settled, the polling stops.
  const settledPolls = versions.length;
  await page.waitForTimeout(4500);
  expect(versions.length).toBeLessThanOrEqual(settledPolls + 1);
});
