/**
 * People far from the server's time zone and language get the page the server rendered: the
 * browser's first render produces the same HTML, so React hydrates it instead of throwing it away
 * and rendering the page again (production React reports that as error #418, a text mismatch, and
 * the person pays for a second render of the whole page). Times read the same everywhere: UTC, to
 * the minute, as on every page of the portal.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { launchBucket } from "./support/api";
import { storageStateFor, type DemoUser } from "./support/users";

const FAR_AWAY = { locale: "de-DE", timezoneId: "Pacific/Auckland" } as const;

/** A page opened as `user` in a browser set to another language and time zone, with the errors it reports. */
async function farAway(browser: Browser, user: DemoUser): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ ...FAR_AWAY, storageState: storageStateFor(user) });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|Minified React error/i.test(message.text())) errors.push(`${page.url()}: ${message.text()}`);
  });
  return { page, errors, close: () => context.close() };
}

/** Opens `path` and waits until React has taken the page over (the server's HTML alone has no handlers). */
async function visit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path, { waitUntil: "networkidle" });
  expect(response?.status(), path).toBe(200);
}

test("a person in Auckland whose browser speaks German gets the server's pages hydrated, not rendered twice", async ({ browser }) => {
  test.setTimeout(120_000);
  const alice = await farAway(browser, "alice");
  try {
    const product = await launchBucket(alice.page.request, `tz-${Date.now().toString(36)}`);
    for (const path of ["/catalog", "/products", `/products/${product.id}`, `/products/${product.id}/update`, `/catalog/${product.productId}/launch`, "/cli"]) await visit(alice.page, path);
    expect(alice.errors).toEqual([]);

    // My products shows the same moment as the product's own page: UTC, to the minute.
    await visit(alice.page, "/products");
    const row = alice.page.getByRole("table", { name: "Your provisioned products" }).getByRole("row").filter({ hasText: product.name });
    const created = row.locator("time").first(); // Created, then Updated
    await expect(created).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    const createdAt = await created.getAttribute("datetime");
    expect(new Date(createdAt!).toISOString().replace("T", " ").slice(0, 16) + " UTC").toBe(await created.textContent());
    expect(alice.errors).toEqual([]);
  } finally {
    await alice.close();
  }

  const admin = await farAway(browser, "admin");
  try {
    for (const path of ["/admin", "/admin/products", "/admin/users", "/admin/audit"]) await visit(admin.page, path);
    expect(admin.errors).toEqual([]);
  } finally {
    await admin.close();
  }
});
