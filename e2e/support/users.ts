import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";

export const users = {
  alice: { email: "alice@example.org", name: "Alice Example" },
  bob: { email: "bob@example.org", name: "Bob Example" },
  admin: { email: "admin@example.org", name: "Admin Example" },
} as const;

export type DemoUser = keyof typeof users;

export const storageStateFor = (user: DemoUser) => `playwright/.auth/${user}.json`;

/** Signs in through the portal's sign-in page and the local OIDC provider's real login form. */
export async function signIn(page: Page, user: DemoUser, password = "demo") {
  await page.goto("/products");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Email")).toBeVisible();
  await page.getByLabel("Email").fill(users[user].email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
