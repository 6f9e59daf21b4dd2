/**
 * The portal in production mode, as a browser meets it: security headers and session cookie flags
 * on real responses.
 *
 * Why a TLS terminator rather than headers with `x-forwarded-proto`: secure cookies and HSTS are
 * promises to a browser about https, and only a browser on a real https origin shows they are kept:
 * that it accepts `__Secure-` cookies and sends them back, that every redirect of the sign-in flow
 * (next-auth's, the proxy's, the identity provider's back to the callback) lands on https, and that
 * the pages still work under their CSP. Faking the scheme with a header would skip exactly that.
 * So this spec puts the built portal behind a small https proxy (self-signed certificate made at
 * test time, `x-forwarded-proto: https` and the original Host forwarded, like a load balancer) and
 * signs in through the real OIDC flow in Chromium.
 *
 * Beside the normal end-to-end server it starts, on ports of its own (e2e/support/ports.ts):
 * - a fresh database on the run's embedded PostgreSQL,
 * - its own OIDC provider (the local provider module: the only one at hand; the portal treats it
 *   as any issuer) with redirect URIs for the https origin,
 * - the TLS terminator,
 * - `npm start -- --no-build` (the launcher: `next start` on the build the e2e server made) with
 *   production settings, AWS being the run's emulator through explicit keys and AWS_ENDPOINT_URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test, type Response } from "@playwright/test";
import pg from "pg";
import { startLocalOidcProvider, type LocalOidcProvider } from "../launcher/oidc-provider";
import { e2ePostgresServer, emulatorUrl, productionPorts } from "./support/ports";
import { startTlsTerminator, type TlsTerminator } from "./support/tls-terminator";
import { signIn, users } from "./support/users";

const origin = `https://localhost:${productionPorts.https}`;
const database = `qm_e2e_production_${randomBytes(4).toString("hex")}`;
const clientSecret = randomBytes(24).toString("base64url");

let oidc: LocalOidcProvider | undefined;
let tls: TlsTerminator | undefined;
let launcher: ChildProcess | undefined;
let launcherOutput = "";

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${e2ePostgresServer}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startProductionPortal(): Promise<void> {
  const settings = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production" as const,
    DATABASE_URL: `${e2ePostgresServer}/${database}`,
    OIDC_ISSUER: oidc!.issuer,
    OIDC_CLIENT_ID: "quartermaster",
    OIDC_CLIENT_SECRET: clientSecret,
    AUTH_SECRET: randomBytes(48).toString("base64"),
    APP_URL: origin,
    PORT: String(productionPorts.portal),
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: emulatorUrl,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::123456789012:role/ServiceCatalogEndusers",
    AWS_ADMIN_ROLE_ARN: "arn:aws:iam::123456789012:role/ServiceCatalogAdmins",
    // Tests never reach for instance metadata; the explicit keys above make it moot anyway.
    AWS_EC2_METADATA_DISABLED: "true",
    // The emulator is shared with the local e2e portal: no reconciliation against its products.
    JOBS_ENABLED: "false",
    LOG_LEVEL: "warn",
  };
  const child = spawn(process.execPath, ["--import", "tsx", "launcher/main.ts", "--no-build"], { env: settings, stdio: ["ignore", "pipe", "pipe"] });
  launcher = child;
  child.stdout.on("data", (chunk) => (launcherOutput += chunk));
  child.stderr.on("data", (chunk) => (launcherOutput += chunk));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`launcher exited (${code}):\n${launcherOutput}`))));
  const ready = new Promise<void>((resolve) => {
    const check = () => (launcherOutput.includes("portal ready on") ? resolve() : setTimeout(check, 200));
    check();
  });
  await Promise.race([ready, exited]);
}

test.describe("production mode behind https", () => {
  test.describe.configure({ mode: "serial" });
  test.use({ baseURL: origin, ignoreHTTPSErrors: true });

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    await adminQuery(`CREATE DATABASE "${database}"`);
    oidc = await startLocalOidcProvider({
      port: productionPorts.oidc,
      clientId: "quartermaster",
      clientSecret,
      redirectUris: [`${origin}/api/auth/callback/oidc`],
      postLogoutRedirectUris: [`${origin}/signin?signedOut=1`],
    });
    tls = await startTlsTerminator({ port: productionPorts.https, target: productionPorts.portal });
    await startProductionPortal();
  });

  test.afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher!.once("exit", resolve));
      launcher.kill("SIGTERM");
      await exited;
    }
    await tls?.close();
    await oidc?.close();
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  test("the launcher chose production mode from the settings and started no stand-in", async () => {
    expect(launcherOutput).toMatch(/production mode \(DATABASE_URL, OIDC_ISSUER, OIDC_CLIENT_SECRET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, APP_URL are set\)/);
    expect(launcherOutput).not.toMatch(/postgres ready|oidc ready|emulator ready|LOCAL DEMO MODE/);
  });

  test("every response carries HSTS and the security headers; no local demo footer", async ({ page, request }) => {
    const expectSecurityHeaders = (response: Response | null | { headers(): Record<string, string> }, what: string) => {
      const headers = response!.headers();
      expect(headers["strict-transport-security"], what).toBe("max-age=63072000; includeSubDomains");
      expect(headers["x-frame-options"], what).toBe("DENY");
      expect(headers["x-content-type-options"], what).toBe("nosniff");
      expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
    };

    const signinPage = await page.goto("/signin");
    expectSecurityHeaders(signinPage, "/signin");
    const csp = signinPage!.headers()["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect(page.getByText("Local demo mode")).toHaveCount(0);
    await expect(page.getByRole("contentinfo")).toHaveCount(0);

    // The proxy's redirect to sign-in, an API answer: HSTS too, and the redirect stays on https.
    const redirect = await request.get("/products", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expect(redirect.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(new URL(redirect.headers().location!, origin).origin).toBe(origin);
    const api = await request.get("/api/me");
    expect(api.status()).toBe(401);
    expect(api.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  });

  test("signing in through the OIDC provider sets a __Secure- session cookie: Secure, HttpOnly, SameSite=Lax", async ({ page, context }) => {
    const callback = page.waitForResponse((response) => response.url().startsWith(`${origin}/api/auth/callback/oidc`));
    await signIn(page, "alice");
    const setCookies = (await (await callback).headersArray()).filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);
    const sessionHeader = setCookies.find((c) => c.startsWith("__Secure-next-auth.session-token="));
    expect(sessionHeader, setCookies.join("\n")).toBeDefined();
    expect(sessionHeader).toMatch(/;\s*Secure(;|$)/i);
    expect(sessionHeader).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(sessionHeader).toMatch(/;\s*SameSite=Lax(;|$)/i);

    const products = await page.waitForURL(`${origin}/products`).then(() => page.reload());
    await expect(page.getByRole("heading", { name: "My products" })).toBeVisible();
    await expect(page.getByRole("banner").getByText(users.alice.email)).toBeVisible();
    expect(products!.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(products!.headers()["content-security-policy"]).not.toContain("unsafe-eval");
    await expect(page.getByText("Local demo mode")).toHaveCount(0);

    // What the browser kept: only prefixed, secure next-auth cookies.
    const cookies = (await context.cookies(origin)).filter((c) => c.name.includes("next-auth"));
    expect(cookies.find((c) => c.name === "__Secure-next-auth.session-token")).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax", path: "/" });
    for (const cookie of cookies) {
      expect(cookie.name).toMatch(/^__(Secure|Host)-next-auth\./);
      expect(cookie.secure, cookie.name).toBe(true);
    }
  });
});
