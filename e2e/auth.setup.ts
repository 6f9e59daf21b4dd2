import { expect, test as setup } from "@playwright/test";
import { signIn, storageStateFor, users, type DemoUser } from "./support/users";

// Log each demo user in once through the real OIDC flow and keep the session for the other specs.
for (const user of Object.keys(users) as DemoUser[]) {
  setup(`sign in as ${user}`, async ({ page }) => {
    await signIn(page, user);
    await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    await expect(page.getByRole("banner").getByText(users[user].email)).toBeVisible();
    await page.context().storageState({ path: storageStateFor(user) });
  });
}
