import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { launchBucket, myProducts, sameOrigin } from "./support/api";
import { baseURL, emulatorUrl } from "./support/ports";
import { storageStateFor } from "./support/users";

test.use({ storageState: storageStateFor("alice") });

/** GET /api/credentials as the AWS CLI's credential_process calls it: a bearer token, no cookie. */
async function credentialsWith(token: string) {
  const cli = await playwrightRequest.newContext({ baseURL });
  try {
    const response = await cli.get("/api/credentials", { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status(), body: (await response.json()) as Record<string, unknown>, cacheControl: response.headers()["cache-control"] };
  } finally {
    await cli.dispose();
  }
}

test("alice creates a token, sees it once, uses it for AWS credentials, and revokes it", async ({ page }) => {
  // A rerun starts below the limit of 10 active tokens: earlier runs' tokens go first.
  const { tokens } = (await (await page.request.get("/api/tokens")).json()) as { tokens: { id: string; name: string; status: string }[] };
  for (const old of tokens.filter((t) => t.status === "active" && t.name.startsWith("e2e-"))) {
    await page.request.post(`/api/tokens/${old.id}/revoke`, { headers: sameOrigin, data: {} });
  }
  const name = `e2e-${Date.now().toString(36)}`;

  await page.goto("/products");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "CLI access" }).click();
  await expect(page.getByRole("heading", { name: "CLI access", level: 1 })).toBeVisible();
  await expect(page.getByText("credential_process = sh -c")).toBeVisible();

  // Past 90 days is refused with the rule, before anything is sent.
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Expires after (days)").fill("91");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("A token lives at most 90 days.")).toBeVisible();

  await page.getByLabel("Expires after (days)").fill("7");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText(`Token "${name}" created. Copy it now: it will not be shown again.`)).toBeVisible();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^qm_pat_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("button", { name: "Copy new token" })).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");

  const granted = await credentialsWith(token);
  expect(granted.status).toBe(200);
  expect(granted.cacheControl).toBe("no-store");
  expect(granted.body).toMatchObject({ Version: 1, AccessKeyId: expect.any(String), SecretAccessKey: expect.any(String), SessionToken: expect.any(String), Expiration: expect.any(String) });

  // Shown once: after a reload only its name is left, with its last use.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row).not.toContainText("Never");

  await row.getByRole("button", { name: `Revoke token ${name}…` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke token "${name}"?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(page.getByText(`Token "${name}" revoked`)).toBeVisible();
  await expect(row).toContainText("Revoked");

  const refused = await credentialsWith(token);
  expect(refused.status).toBe(401);
  expect(refused.body).toMatchObject({ error: { message: expect.stringContaining("has been revoked") } });
});

test("an admin sees alice's token on her admin page and revokes it", async ({ page, browser }) => {
  const name = `e2e-admin-${Date.now().toString(36)}`;
  const created = await page.request.post("/api/tokens", { headers: sameOrigin, data: { name, expiresInDays: 1 } });
  expect(created.status()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const me = (await (await page.request.get("/api/me")).json()) as { id: string };

  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  try {
    const adminPage = await admin.newPage();
    await adminPage.goto(`/admin/users/${me.id}`);
    const section = adminPage.getByRole("region", { name: "CLI access tokens" });
    const row = section.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Active");
    await row.getByRole("button", { name: `Revoke token ${name}…` }).click();
    await adminPage.getByRole("dialog", { name: `Revoke token "${name}"?` }).getByRole("button", { name: "Revoke", exact: true }).click();
    await expect(row).toContainText("Revoked");
  } finally {
    await admin.close();
  }
  expect((await credentialsWith(token)).status).toBe(401);
});

/**
 * The real AWS CLI v2 with the profile exactly as the CLI access page shows it (only the token
 * file's path differs), its credential_process calling this running portal. The emulator stands
 * in for AWS's endpoints (`--endpoint-url`: CLI 2.9 reads no endpoint from a profile).
 */
test("the AWS CLI with the page's profile is alice in AWS, sees only her products, and fails with the portal's message once the token is revoked", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const run = promisify(execFile);
  const dir = await mkdtemp(path.join(os.tmpdir(), "qm-cli-"));
  try {
    await page.goto("/cli");
    const shown = (await page.locator("pre", { hasText: "[profile quartermaster]" }).textContent())!;
    expect(shown).toContain("credential_process = ");
    const tokenFile = path.join(dir, "token");
    const configFile = path.join(dir, "config");
    await writeFile(configFile, `${shown.replaceAll("~/.aws/quartermaster-token", tokenFile)}\n`);

    const created = await page.request.post("/api/tokens", { headers: sameOrigin, data: { name: `e2e-cli-${Date.now().toString(36)}`, expiresInDays: 1 } });
    expect(created.status()).toBe(201);
    const { token, accessToken } = (await created.json()) as { token: string; accessToken: { id: string } };
    await writeFile(tokenFile, token, { mode: 0o600 });
    await chmod(tokenFile, 0o600);

    // Only the profile: no keys, no other config, no instance metadata.
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "none"), AWS_PROFILE: "quartermaster", AWS_EC2_METADATA_DISABLED: "true", AWS_PAGER: "" };
    const aws = (...args: string[]) => run("/usr/bin/aws", [...args, "--endpoint-url", emulatorUrl, "--output", "json"], { env: env as NodeJS.ProcessEnv, timeout: 60_000 });

    const me = (await (await page.request.get("/api/me")).json()) as { email: string };
    const identity = JSON.parse((await aws("sts", "get-caller-identity")).stdout) as { Arn: string };
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/[^/]+/${me.email.replace(/[.+]/g, "\\$&")}$`));

    // "Only hers": other specs launch and transfer meanwhile, so each list is read before and
    // after the CLI's; a product counts as bob's only when both of his lists have it.
    const ours = await launchBucket(page.request, `e2e-cli-${Date.now().toString(36)}`);
    const bob = await browser.newContext({ baseURL, storageState: storageStateFor("bob") });
    const namesOf = async (request: typeof page.request) => (await myProducts(request)).map((p) => p.name);
    try {
      const [hersBefore, bobsBefore] = await Promise.all([namesOf(page.request), namesOf(bob.request)]);
      const listed = JSON.parse((await aws("servicecatalog", "search-provisioned-products", "--access-level-filter", "Key=User,Value=Self")).stdout) as { ProvisionedProducts: { Name: string }[] };
      const [hersAfter, bobsAfter] = await Promise.all([namesOf(page.request), namesOf(bob.request)]);
      const names = listed.ProvisionedProducts.map((p) => p.Name);
      expect(names).toContain(ours.name);
      for (const name of names) {
        expect([...hersBefore, ...hersAfter], `${name} is alice's`).toContain(name);
        expect(bobsBefore.includes(name) && bobsAfter.includes(name), `${name} is not bob's`).toBe(false);
      }
    } finally {
      await bob.close();
    }

    await page.request.post(`/api/tokens/${accessToken.id}/revoke`, { headers: sameOrigin, data: {} });
    const refused = await aws("sts", "get-caller-identity").then(
      () => null,
      (error: { stderr: string }) => error,
    );
    expect(refused, "the CLI must fail with a revoked token").not.toBeNull();
    expect(refused!.stderr).toContain("has been revoked");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
