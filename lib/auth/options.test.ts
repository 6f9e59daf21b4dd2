/**
 * The portal's next-auth configuration as next-auth drives it: the signIn callback refuses with a
 * code the sign-in page explains, the redirect callback keeps people on the portal, and nothing a
 * client sends reaches the logs through next-auth's logger or its unauthenticated _log endpoint.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { NextRequest } from "next/server";
import type { Account, NextAuthOptions, Profile } from "next-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { clearLogs, logLines, rawLogs } from "@/test/support/captured-logs";

vi.mock("@/lib/logger", async (original) => (await import("@/test/support/captured-logs")).loggerWritingToMemory(await original()));

// next-auth's framework-free core (the code behind every /api/auth/* route); not in its exports map.
const require = createRequire(import.meta.url);
const { AuthHandler } = require(path.join(path.dirname(require.resolve("next-auth")), "core")) as {
  AuthHandler(params: { req: Record<string, unknown>; options: NextAuthOptions }): Promise<unknown>;
};

const APP_URL = "http://localhost:3000";
let backend: PortalBackend;
let options: NextAuthOptions;
let db: typeof import("@/lib/db").db;

beforeAll(async () => {
  backend = await startPortalBackend();
  process.env.APP_URL = APP_URL;
  options = (await import("@/lib/auth/options")).authOptions();
  db = (await import("@/lib/db")).db;
});
afterAll(async () => backend?.close());
beforeEach(() => clearLogs());

/** What next-auth hands the callbacks after the provider's callback (no adapter). */
function oauthSignIn(profile: Record<string, unknown>) {
  const account: Account = { provider: "oidc", type: "oauth", providerAccountId: String(profile.sub), id_token: "id-token-from-provider" };
  const user = { id: String(profile.sub), email: String(profile.email), name: null };
  return { account, user, profile: profile as Profile };
}

async function signInThenJwt(profile: Record<string, unknown>) {
  const { account, user, profile: p } = oauthSignIn(profile);
  const allowed = await options.callbacks!.signIn!({ user, account, profile: p });
  if (allowed !== true) return { allowed, token: null };
  const token = await options.callbacks!.jwt!({ token: {} as never, user, account, profile: p, trigger: "signIn" });
  return { allowed, token };
}

describe("signIn and jwt callbacks", () => {
  it("sign a verified person in and keep only their id, role and ID token in the cookie", async () => {
    const { allowed, token } = await signInThenJwt({ sub: "ivan", email: "Ivan@example.org", email_verified: true, name: "Ivan" });
    expect(allowed).toBe(true);
    const ivan = await db.user.findFirstOrThrow({ where: { subject: "ivan" } });
    expect(token).toMatchObject({ userId: ivan.id, role: "USER", email: "ivan@example.org", idToken: "id-token-from-provider" });
  });

  it("send a person whose provider has not verified their email back to the sign-in page with EmailNotVerified", async () => {
    for (const email_verified of [false, "false"]) {
      const { allowed } = await signInThenJwt({ sub: `judy-${String(email_verified)}`, email: "judy@example.org", email_verified });
      expect(allowed).toBe(`${APP_URL}/signin?error=EmailNotVerified`);
    }
    expect(await db.user.count({ where: { email: "judy@example.org" } })).toBe(0);
  });

  it("send a person whose AWS identity would clash with another user's back with AwsIdentityClash", async () => {
    await signInThenJwt({ sub: "karl", email: "karl@example.org" });
    const { allowed } = await signInThenJwt({ sub: "karl-elsewhere", email: "karl@example.org" });
    expect(allowed).toBe(`${APP_URL}/signin?error=AwsIdentityClash`);
    expect(logLines().filter((line) => line.level === 50)).toHaveLength(1);
  });

  it("send a login the portal cannot read back with Callback, logging why", async () => {
    const { allowed } = await signInThenJwt({ sub: "nobody" });
    expect(allowed).toBe(`${APP_URL}/signin?error=Callback`);
    expect(logLines()).toEqual([expect.objectContaining({ level: 50, msg: "sign-in failed" })]);
  });
});

describe("redirect callback", () => {
  it("keeps people on the portal whatever callbackUrl next-auth is handed", async () => {
    const redirect = (url: string) => options.callbacks!.redirect!({ url, baseUrl: APP_URL });
    expect(await redirect("/products?x=1")).toBe(`${APP_URL}/products?x=1`);
    expect(await redirect(`${APP_URL}/catalog`)).toBe(`${APP_URL}/catalog`);
    for (const url of ["/\\evil.example", "//evil.example", "https://evil.example/products", "/\t/evil.example", "javascript:alert(1)"]) {
      expect(await redirect(url)).toBe(`${APP_URL}/`);
    }
  });
});

describe("next-auth's logging", () => {
  const forged = { level: "error", code: "FORGED_BY_A_CLIENT", message: "Database password is hunter2; call +1-555-0100", client: "true" };

  it("does not let next-auth's own _log action write what the client posted", async () => {
    await AuthHandler({ req: { origin: APP_URL, method: "POST", action: "_log", body: forged, cookies: {}, headers: {}, query: {} }, options });
    expect(rawLogs()).not.toContain("hunter2");
    expect(rawLogs()).not.toContain("555-0100");
  });

  it("writes the code and the error's class of a server-side error, not its metadata", () => {
    const error = Object.assign(new Error("state mismatch, expected abc, got <script>"), { name: "OAuthCallbackError" });
    options.logger!.error!("OAUTH_CALLBACK_ERROR", { error, providerId: "oidc", message: "attacker text" } as never);
    expect(logLines()).toEqual([expect.objectContaining({ level: 50, code: "OAUTH_CALLBACK_ERROR", errorName: "OAuthCallbackError" })]);
    expect(rawLogs()).not.toContain("attacker text");
    expect(rawLogs()).not.toContain("<script>");
  });

  it("answers POST /api/auth/_log with 204 and logs nothing", async () => {
    const { POST } = await import("@/app/api/auth/[...nextauth]/route");
    const request = new NextRequest(`${APP_URL}/api/auth/_log`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(forged).toString() });
    const response = await POST(request, { params: Promise.resolve({ nextauth: ["_log"] }) });
    expect(response.status).toBe(204);
    expect(rawLogs()).toBe("");
  });
});
