/**
 * The audit log as an administrator uses it in the browser: the events that happened (a launch,
 * logins, refused attempts) are there, filters live in the URL (so a view can be shared), Older
 * and Newer page through it from the keyboard, and the filtered set downloads as CSV. Researchers
 * are refused on every admin page and admin API, and those refusals are in the log as DENIED.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { launchBucket, sameOrigin } from "./support/api";
import { baseURL } from "./support/ports";
import { storageStateFor, users } from "./support/users";

const run = Date.now().toString(36);

/** Pages and GET API routes of the admin area, found in the source tree (a new one is covered at once). */
function adminRoutes(): { pages: string[]; apis: string[] } {
  const found: { url: string; file: string }[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      else if (entry.name === "page.tsx" || entry.name === "route.ts") found.push({ url: `/${segments.join("/")}`, file: full });
    }
  };
  walk("app/(admin)", []);
  walk("app/api/admin", ["api", "admin"]);
  // Routes with path parameters are left to the authorization matrix, which has ids to put in them.
  const plain = found.filter((f) => !f.url.includes("["));
  return {
    pages: plain.filter((f) => f.file.endsWith("page.tsx")).map((f) => f.url),
    apis: plain.filter((f) => f.file.endsWith("route.ts") && /export\s+const\s+GET\b/.test(readFileSync(f.file, "utf8"))).map((f) => f.url),
  };
}

/** A small RFC 4180 reader for the downloaded export. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  if (cell !== "" || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

test.describe("the audit log", () => {
  test.use({ storageState: storageStateFor("admin") });
  let alice: APIRequestContext;
  let bob: APIRequestContext;
  let product: { id: string; name: string };
  /** The request id of alice's refused visit to the audit page. */
  let pageVisit: string;

  test.beforeAll(async () => {
    alice = await playwrightRequest.newContext({ baseURL, storageState: storageStateFor("alice") });
    bob = await playwrightRequest.newContext({ baseURL, storageState: storageStateFor("bob") });
    product = await launchBucket(alice, `audit-${run}`);
    // Bob reaches for alice's product; alice reaches for the admin API.
    expect((await bob.get(`/api/products/${product.id}`)).status()).toBe(404);
    expect((await bob.post(`/api/products/${product.id}/terminate`, { headers: sameOrigin, data: { confirmName: product.name } })).status()).toBe(404);
    expect((await alice.get("/api/admin/audit")).status()).toBe(403);
    expect((await alice.get("/api/admin/audit/export")).status()).toBe(403);
    // And the audit page itself.
    const visit = await alice.get("/admin/audit", { maxRedirects: 0 });
    expect(visit.status()).toBe(403);
    pageVisit = visit.headers()["x-request-id"]!;
  });

  test.afterAll(async () => {
    await alice?.dispose();
    await bob?.dispose();
  });

  test("shows the launch, the logins and the refused attempts, with filters kept in the URL", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    const table = page.getByRole("table", { name: /Audit events/ });
    await expect(table).toBeVisible();

    // Alice's launch, by its target.
    await page.goto(`/admin/audit?action=product.launch&targetType=provisioned-product&targetId=${product.id}`);
    await expect(table.getByRole("row").filter({ hasText: users.alice.email })).toContainText("success");

    // Bob's refused attempts on alice's product.
    await page.getByLabel("Action").fill("");
    await page.getByLabel("Actor").fill("Bob@Example.org");
    await page.getByLabel("Outcome").selectOption("DENIED");
    await page.getByLabel("Target type").selectOption("provisioned-product");
    await page.getByLabel("Target id").fill(product.id);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/audit\\?actor=bob%40example\\.org&targetType=provisioned-product&targetId=${product.id}&outcome=DENIED$`));
    const denied = table.getByRole("row").filter({ hasText: users.bob.email });
    await expect(denied).toHaveCount(2);
    await expect(denied.filter({ hasText: "product.read" })).toHaveCount(1);
    await expect(denied.filter({ hasText: "product.terminate" })).toHaveCount(1);
    await expect(denied.first()).toContainText("denied");

    // The same view, shared as a link, shows the same rows.
    const shared = await page.context().newPage();
    await shared.goto(page.url());
    await expect(shared.getByRole("table", { name: /Audit events/ }).getByRole("row").filter({ hasText: users.bob.email })).toHaveCount(2);
    await expect(shared.getByLabel("Actor")).toHaveValue("bob@example.org");
    await shared.close();

    // Alice on the admin API; clicking an action in a row filters by it.
    await page.goto("/admin/audit?actor=alice%40example.org&outcome=DENIED");
    const aliceRow = table.getByRole("row").filter({ hasText: "GET /api/admin/audit" });
    await expect(aliceRow.first()).toContainText("audit.read");
    await aliceRow.first().getByRole("link", { name: "audit.read" }).click();
    await expect(page).toHaveURL(/action=audit\.read/);
    await expect(page.getByLabel("Action")).toHaveValue("audit.read");

    // Her visit to the audit page: one event for the page (its layout checks too).
    await page.goto("/admin/audit?actor=alice%40example.org&targetType=page&outcome=DENIED");
    const visits = table.getByRole("row").filter({ hasText: pageVisit });
    await expect(visits).toHaveCount(1);
    await expect(visits).toContainText("page: /admin/audit");
    await expect(visits).toContainText(/admin\.view|audit\.read/);

    // Logins, by an action prefix.
    await page.goto("/admin/audit?action=auth.*");
    for (const who of ["alice", "bob", "admin"] as const) await expect(table.getByRole("row").filter({ hasText: users[who].email }).filter({ hasText: "auth.login" }).first()).toBeVisible();
  });

  test("Older and Newer page through the log from the keyboard", async ({ page }) => {
    // Alice has at least five events by now: her login, her launch, her refused admin API calls and page.
    await page.goto("/admin/audit?actor=alice%40example.org&limit=2");
    const rows = page.getByRole("table", { name: /Audit events/ }).getByRole("rowheader");
    await expect(rows).toHaveCount(2);
    const first = await rows.allTextContents();
    const pages = page.getByRole("navigation", { name: "Audit log pages" }).first();
    await expect(pages.getByRole("link", { name: "Newer" })).toHaveCount(0);
    await pages.getByRole("link", { name: "Older" }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/cursor=/);
    await expect(rows).toHaveCount(2);
    const second = await rows.allTextContents();
    expect(second.join()).not.toBe(first.join());
    // Newer times than the first page's last row on page 1; page 2's are older or equal.
    expect(second[0]! <= first[1]!).toBe(true);
    await pages.getByRole("link", { name: "Newer" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await rows.allTextContents()).join()).toBe(first.join());
  });

  test("exports the filtered events as CSV", async ({ page }) => {
    await page.goto(`/admin/audit?actor=bob%40example.org&outcome=DENIED`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^quartermaster-audit-\d{8}T\d{6}Z\.csv$/);
    const rows = parseCsv(readFileSync((await file.path())!, "utf8"));
    expect(rows[0]).toEqual(["time", "id", "actor_email", "actor_id", "action", "outcome", "target_type", "target_id", "request_id", "details"]);
    const events = rows.slice(1);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((r) => r[2] === users.bob.email && r[5] === "DENIED")).toBe(true);
    expect(events.filter((r) => r[7] === product.id).map((r) => r[4]).sort()).toEqual(["product.read", "product.terminate"]);
    // Newest first.
    const times = events.map((r) => r[0]!);
    expect([...times].sort().reverse()).toEqual(times);

    // The export itself is in the log.
    await page.goto("/admin/audit?action=audit.export");
    await expect(page.getByRole("table", { name: /Audit events/ }).getByRole("row").filter({ hasText: users.admin.email }).first()).toContainText('"outcome":"DENIED"');
  });

  test("bad filters in the URL are explained, not a crash", async ({ page }) => {
    const response = await page.goto("/admin/audit?outcome=MAYBE&from=yesterday");
    expect(response?.status()).toBe(200);
    const alert = page.getByRole("alert").filter({ hasText: "These filters cannot be used" });
    await expect(alert).toContainText("Outcome: outcome must be SUCCESS, FAILURE or DENIED");
    await expect(alert).toContainText("From (UTC)");
    await expect(page.getByRole("table")).toHaveCount(0);
    // In the form too, before anything is asked of the server.
    await page.getByLabel("Actor").fill("not an email");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByLabel("Actor")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/outcome=MAYBE/);
  });

  test("has no serious accessibility violations", async ({ page }) => {
    await page.goto("/admin/audit");
    await expect(page.getByRole("table", { name: /Audit events/ })).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
  });
});

test.describe("as a researcher", () => {
  test.use({ storageState: storageStateFor("alice") });

  test("every admin page shows the 403 page and every admin API answers 403", async ({ page }) => {
    const { pages, apis } = adminRoutes();
    expect(pages).toEqual(expect.arrayContaining(["/admin", "/admin/audit"]));
    expect(apis).toEqual(expect.arrayContaining(["/api/admin/audit", "/api/admin/audit/export"]));
    for (const path of pages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    }
    for (const path of apis) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
    }
  });
});
