import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";

export const users = {
  alice: { email: "alice@example.org", name: "Alice Example" },
  bob: { email: "bob@example.org", name: "Bob Example" },
  admin: { email: "admin@example.org", name: "Admin Example" },
} as const;

/** A researcher the transfer spec offboards and deactivates (signed in by that spec itself). */
export const carol = { email: "carol@example.org", name: "Carol Example" } as const;

/** A demo account the portal refuses: the local provider says its email is not verified. */
export const unverifiedUser = { email: "unverified@example.org", name: "Unverified Example" } as const;

export type DemoUser = keyof typeof users;

export const storageStateFor = (user: DemoUser) => `playwright/.auth/${user}.json`;

/**
 * Signs in through the portal's sign-in page and the local OIDC provider's real login form,
 * starting from `from` (a page that needs a session, or a sign-in link).
 */
export async function signIn(page: Page, user: DemoUser | { email: string }, password = "demo", from = "/products") {
  await page.goto(from);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Email")).toBeVisible();
  await page.getByLabel("Email").fill(typeof user === "string" ? users[user].email : user.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
