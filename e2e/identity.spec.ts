import { expect, test, type Page } from "@playwright/test";
import { signIn, storageStateFor, unverifiedUser, users } from "./support/users";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Answers for the attacker's site, so a redirect there shows up as a URL instead of a DNS error. */
async function stubEvilSite(page: Page) {
  await page.context().route(/^https?:\/\/evil\.example\//, (route) => route.fulfill({ contentType: "text/html", body: "<h1>Evil</h1>" }));
}

test.describe("who may sign in", () => {
  test("a person whose email the identity provider has not verified is refused with a message, and nobody is signed in", async ({ page }) => {
    await signIn(page, unverifiedUser);
    await expect(page).toHaveURL(/\/signin\?error=EmailNotVerified$/);
    await expect(page.getByRole("alert").filter({ hasText: "Your identity provider has not verified your email address" })).toBeVisible();
    expect((await page.request.get("/api/me")).status()).toBe(401);
    await page.goto("/products");
    await expect(page).toHaveURL(/\/signin/);
  });
});

test.describe("after signing in, a crafted callbackUrl", () => {
  test.use({ storageState: storageStateFor("alice") });

  const crafted = ["/%5Cevil.example", "/\\evil.example", "/%5C/evil.example", "/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "//evil.example", "https://evil.example/"];

  for (const callbackUrl of crafted) {
    test(`keeps a signed-in person on the portal: ${callbackUrl}`, async ({ page, baseURL }) => {
      await stubEvilSite(page);
      const response = await page.goto(`/signin?callbackUrl=${callbackUrl}`);
      expect(response?.status()).toBeLessThan(500);
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    });
  }

  test("with non-ASCII text still leads to the page, not a server error", async ({ page, baseURL }) => {
    // "€日本": outside Latin-1, so it cannot go into a header as it is.
    const response = await page.goto("/signin?callbackUrl=/catalog?q=%E2%82%AC%E6%97%A5%E6%9C%AC");
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${new URL(baseURL!).origin}/catalog?q=%E2%82%AC%E6%97%A5%E6%9C%AC`);
  });
});

test.describe("signing in from a crafted link", () => {
  test("lands on the portal, not on the link's other host", async ({ page, baseURL }) => {
    await stubEvilSite(page);
    await signIn(page, "bob", "demo", "/signin?callbackUrl=/%5Cevil.example");
    await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(page.getByRole("banner").getByText(users.bob.email)).toBeVisible();
  });
});

test.describe("request ids and next-auth's log endpoint", () => {
  test("a plain x-request-id is kept; one that is too long or has odd characters is replaced by a UUID", async ({ request }) => {
    const kept = await request.get("/signin", { headers: { "x-request-id": "lb-7f3a9c21e5" } });
    expect(kept.headers()["x-request-id"]).toBe("lb-7f3a9c21e5");
    for (const incoming of ["x".repeat(300), 'id" forged="1', "<script>"]) {
      for (const path of ["/signin", "/api/me"]) {
        const response = await request.get(path, { headers: { "x-request-id": incoming } });
        expect(response.headers()["x-request-id"]).toMatch(UUID);
      }
    }
  });

  test("POST /api/auth/_log is accepted without a session and answered with no content", async ({ request }) => {
    const response = await request.post("/api/auth/_log", { form: { level: "error", code: "FORGED", message: "attacker text" } });
    expect(response.status()).toBe(204);
  });
});
