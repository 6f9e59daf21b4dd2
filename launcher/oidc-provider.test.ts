import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/test/support/embedded-postgres";
import { demoUsers, OIDC_SCOPES, startLocalOidcProvider, type LocalOidcProvider } from "./oidc-provider";

const clientId = "quartermaster";
const clientSecret = "test-secret+/=";
const redirectUri = "http://localhost:3999/api/auth/callback/oidc";

/** A browser's worth of HTTP: one cookie jar (one host), redirects followed by hand. */
class Browser {
  private cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follow redirects until a page (2xx) or a redirect to `stopAt`. */
  async follow(url: string, stopAt: string, init?: RequestInit): Promise<{ url: string; response: Response }> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
      if (hops > 10) throw new Error("too many redirects");
      current = new URL(response.headers.get("location")!, current).toString();
      if (current.startsWith(stopAt)) return { url: current, response };
      response = await this.request(current);
    }
    return { url: current, response };
  }
}

const base64url = (b: Buffer) => b.toString("base64url");

function authorizationUrl(issuer: string, overrides: Record<string, string | undefined> = {}) {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(8));
  const nonce = base64url(randomBytes(8));
  const params: Record<string, string | undefined> = {
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: OIDC_SCOPES,
    state,
    nonce,
    code_challenge: base64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
    ...overrides,
  };
  const url = new URL(`${issuer}/auth`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { url: url.toString(), verifier, state, nonce };
}

function formAction(html: string, pageUrl: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the page:\n${html}`);
  return new URL(action.replace(/&amp;/g, "&"), pageUrl).toString();
}

function postForm(browser: Browser, url: string, fields: Record<string, string>) {
  return browser.request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

function decodeJwt(token: string) {
  const [header, payload, signature] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header!, "base64url").toString()) as { kid: string; alg: string },
    payload: JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature!, "base64url"),
  };
}

describe("local OIDC provider", () => {
  let provider: LocalOidcProvider;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-oidc-"));
    provider = await startLocalOidcProvider({
      port: await freePort(),
      clientId,
      clientSecret,
      redirectUris: [redirectUri],
      postLogoutRedirectUris: ["http://localhost:3999/"],
      dataDir,
    });
  });
  afterAll(async () => {
    await provider?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("publishes discovery for the code flow with S256 PKCE", async () => {
    const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(provider.issuer);
    expect(discovery.response_types_supported).toEqual(["code"]);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups"]));
    expect(discovery.end_session_endpoint).toBe(`${provider.issuer}/session/end`);
  });

  it("signs the admin in through the login page and issues their claims in the ID token and /userinfo", async () => {
    const browser = new Browser();
    const { url, verifier, state, nonce } = authorizationUrl(provider.issuer);

    const login = await browser.follow(url, redirectUri);
    expect(login.response.status).toBe(200);
    const html = await login.response.text();
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)[^"]*\.(css|js|woff)/);

    const admin = demoUsers.find((u) => u.email === "admin@example.org")!;
    const submitted = await postForm(browser, formAction(html, login.url), { email: "Admin@Example.org", password: "demo" });
    expect(submitted.status).toBe(303);
    const callback = await browser.follow(new URL(submitted.headers.get("location")!, login.url).toString(), redirectUri);
    const callbackUrl = new URL(callback.url);
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(redirectUri);
    expect(callbackUrl.searchParams.get("state")).toBe(state);
    expect(callbackUrl.searchParams.get("iss")).toBe(provider.issuer);
    const code = callbackUrl.searchParams.get("code")!;
    expect(code).toBeTruthy();

    const tokenResponse = await fetch(`${provider.issuer}/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
    });
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as { id_token: string; access_token: string; token_type: string; refresh_token?: string };
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.refresh_token).toBeUndefined();

    const expectedClaims = {
      sub: admin.sub,
      email: "admin@example.org",
      email_verified: true,
      name: "Admin Example",
      groups: ["quartermaster-admins"],
      department: "IT",
      project: "Platform",
    };
    const idToken = decodeJwt(tokens.id_token);
    expect(idToken.payload).toMatchObject({ ...expectedClaims, iss: provider.issuer, aud: clientId, nonce });
    const { keys } = (await (await fetch(`${provider.issuer}/jwks`)).json()) as { keys: (Record<string, unknown> & { kid: string })[] };
    const jwk = keys.find((k) => k.kid === idToken.header.kid)!;
    expect(jwk).toBeDefined();
    expect(jwk).not.toHaveProperty("d");
    expect(verify("sha256", Buffer.from(idToken.signingInput), createPublicKey({ key: jwk, format: "jwk" }), idToken.signature)).toBe(true);

    const userinfo = await fetch(`${provider.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toEqual(expectedClaims);
  });

  it("gives researchers their department and project and no groups", async () => {
    const browser = new Browser();
    const { url } = authorizationUrl(provider.issuer);
    const login = await browser.follow(url, redirectUri);
    const submitted = await postForm(browser, formAction(await login.response.text(), login.url), { email: "alice@example.org", password: "demo" });
    const callback = await browser.follow(new URL(submitted.headers.get("location")!, login.url).toString(), redirectUri);
    expect(new URL(callback.url).searchParams.get("code")).toBeTruthy();
    const alice = demoUsers.find((u) => u.email === "alice@example.org")!;
    expect(alice).toMatchObject({ name: "Alice Example", department: "Neuroscience", project: "ADNI", groups: [] });
  });

  it("says the unverified demo user's email is not verified, in the ID token and /userinfo", async () => {
    const browser = new Browser();
    const { url, verifier } = authorizationUrl(provider.issuer);
    const login = await browser.follow(url, redirectUri);
    const submitted = await postForm(browser, formAction(await login.response.text(), login.url), { email: "unverified@example.org", password: "demo" });
    const callback = await browser.follow(new URL(submitted.headers.get("location")!, login.url).toString(), redirectUri);
    const code = new URL(callback.url).searchParams.get("code")!;
    const tokens = (await (
      await fetch(`${provider.issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId, client_secret: clientSecret }).toString(),
      })
    ).json()) as { id_token: string; access_token: string };
    expect(decodeJwt(tokens.id_token).payload).toMatchObject({ email: "unverified@example.org", email_verified: false });
    const userinfo = await fetch(`${provider.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ email: "unverified@example.org", email_verified: false });
  });

  it("re-renders the login page with an error and the email kept after a wrong password", async () => {
    const browser = new Browser();
    const login = await browser.follow(authorizationUrl(provider.issuer).url, redirectUri);
    const action = formAction(await login.response.text(), login.url);

    const wrong = await postForm(browser, action, { email: "bob@example.org", password: "not-the-password" });
    expect(wrong.status).toBe(200);
    const html = await wrong.text();
    expect(html).toContain("Invalid email or password");
    expect(html).toContain('value="bob@example.org"');

    const unknown = await postForm(browser, action, { email: "mallory@example.org", password: "demo" });
    expect(await unknown.text()).toContain("Invalid email or password");

    // The same interaction still accepts the right password.
    const right = await postForm(browser, action, { email: "bob@example.org", password: "demo" });
    expect(right.status).toBe(303);
  });

  it("refuses an authorization request without PKCE", async () => {
    const browser = new Browser();
    const { url } = authorizationUrl(provider.issuer, { code_challenge: undefined, code_challenge_method: undefined });
    const result = await browser.follow(url, redirectUri);
    const callbackUrl = new URL(result.url);
    expect(callbackUrl.searchParams.get("error")).toBe("invalid_request");
    expect(callbackUrl.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("signs out through RP-initiated logout and returns to the registered URL", async () => {
    const browser = new Browser();
    const login = await browser.follow(authorizationUrl(provider.issuer).url, redirectUri);
    const submitted = await postForm(browser, formAction(await login.response.text(), login.url), { email: "bob@example.org", password: "demo" });
    await browser.follow(new URL(submitted.headers.get("location")!, login.url).toString(), redirectUri);

    const end = await browser.request(`${provider.issuer}/session/end?client_id=${clientId}&post_logout_redirect_uri=${encodeURIComponent("http://localhost:3999/")}`);
    expect(end.status).toBe(200);
    const html = await end.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(xsrf).toBeTruthy();
    const confirmed = await postForm(browser, formAction(html, end.url || `${provider.issuer}/session/end`), { xsrf: xsrf!, logout: "yes" });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe("http://localhost:3999/");

    // Signed out at the provider: the next authorization asks for the password again.
    const again = await browser.follow(authorizationUrl(provider.issuer).url, redirectUri);
    expect(await again.response.text()).toContain("<h1>Sign in</h1>");
  });

  it("keeps its keys and the person's session across restarts when given a data directory", async () => {
    const port = await freePort();
    const settings = { port, clientId, clientSecret, redirectUris: [redirectUri], postLogoutRedirectUris: [], dataDir: await mkdtemp(path.join(os.tmpdir(), "quartermaster-oidc-")) };
    const first = await startLocalOidcProvider(settings);
    const browser = new Browser();
    let jwksBefore: unknown;
    try {
      jwksBefore = await (await fetch(`${first.issuer}/jwks`)).json();
      const login = await browser.follow(authorizationUrl(first.issuer).url, redirectUri);
      const submitted = await postForm(browser, formAction(await login.response.text(), login.url), { email: "alice@example.org", password: "demo" });
      await browser.follow(new URL(submitted.headers.get("location")!, login.url).toString(), redirectUri);
    } finally {
      await first.close();
    }

    const second = await startLocalOidcProvider(settings);
    try {
      expect(await (await fetch(`${second.issuer}/jwks`)).json()).toEqual(jwksBefore);
      const result = await browser.follow(authorizationUrl(second.issuer).url, redirectUri);
      expect(new URL(result.url).searchParams.get("code")).toBeTruthy();
    } finally {
      await second.close();
      await rm(settings.dataDir, { recursive: true, force: true });
    }
  });
});
