import { expect, test } from "@playwright/test";
import { signIn, storageStateFor, users } from "./support/users";

test.describe("signing in and out", () => {
  test("alice signs in through the OIDC provider's login page and signs out", async ({ page }) => {
    await signIn(page, "alice");
    await expect(page).toHaveURL(/\/products$/);
    await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    await expect(page.getByRole("banner").getByText(users.alice.email)).toBeVisible();
    await expect(page.getByRole("banner").getByText("Alice Example")).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto("/products");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a wrong password is refused with a message and nobody is signed in", async ({ page }) => {
    await signIn(page, "bob", "not-the-password");
    await expect(page.getByText("Invalid email or password")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(users.bob.email);
  });

  test("an unauthenticated API call gets 401 JSON, not a redirect", async ({ request }) => {
    const response = await request.get("/api/me", { maxRedirects: 0 });
    expect(response.status()).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  test("pages carry the security headers", async ({ request }) => {
    const response = await request.get("/signin");
    const headers = response.headers();
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBeTruthy();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
    expect(headers["x-request-id"]).toBeTruthy();
    // Plain http on localhost: no HSTS (production mode's, e2e/production-mode.spec.ts).
    expect(headers["strict-transport-security"]).toBeUndefined();
  });

  test("the sign-in page says it is the local demo", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByRole("contentinfo")).toContainText("Local demo mode.");
    await expect(page.getByRole("contentinfo")).toContainText("public demo passwords");
  });
});

test.describe("as a researcher", () => {
  test.use({ storageState: storageStateFor("alice") });

  test("has no Admin link and is refused on /admin", async ({ page }) => {
    await page.goto("/products");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "My products" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  });

  test("sees their profile from the identity provider", async ({ page }) => {
    const response = await page.request.get("/api/me");
    expect(await response.json()).toMatchObject({ email: users.alice.email, department: "Neuroscience", project: "ADNI", role: "USER" });
  });

  test("signed-in pages say it is the local demo; the session cookie is the plain http one", async ({ page, context }) => {
    await page.goto("/products");
    await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    await expect(page.getByRole("contentinfo")).toContainText("Local demo mode.");
    await expect(page.getByRole("contentinfo")).toContainText("AWS is a local emulator");
    const names = (await context.cookies()).map((c) => c.name);
    expect(names).toContain("next-auth.session-token");
    expect(names).not.toContain("__Secure-next-auth.session-token");
  });

  test("an unknown page shows the not-found page", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
  });
});

test.describe("as an administrator", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("sees the Admin link and the users who have signed in", async ({ page }) => {
    await page.goto("/products");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
    const usersTable = page.getByRole("table", { name: "Users matching the filters" });
    await expect(usersTable.getByRole("rowheader", { name: users.alice.email })).toBeVisible();
    await expect(usersTable.getByRole("row", { name: /admin@example\.org/ })).toContainText("Administrator");
    // Filters live in the address, so a filtered view can be shared.
    await page.getByLabel("Email or name contains").fill("alice");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/\/admin\/users\?q=alice/);
    await expect(usersTable.getByRole("row")).toHaveCount(2);
  });
});
