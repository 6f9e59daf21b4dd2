import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { readLoginClaims, type ClaimSource } from "@/lib/domain/claims";
import { OIDC_PROVIDER_ID, safeCallbackUrl } from "@/lib/domain/callback-url";
import { LoginRefusedError, type LoginRefusal } from "@/lib/errors";
import { recordLogin } from "@/lib/services/users";
import type { User } from "@/generated/prisma/client";

export { OIDC_PROVIDER_ID };

type Discovery = { userinfo_endpoint?: string; end_session_endpoint?: string };
let discovery: Promise<Discovery> | undefined;

/** The provider's discovery document, fetched once per process. */
export function oidcDiscovery(): Promise<Discovery> {
  discovery ??= fetch(`${env().OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`)
    .then((r) => {
      if (!r.ok) throw new Error(`OIDC discovery failed with HTTP ${r.status}`);
      return r.json() as Promise<Discovery>;
    })
    .catch((err) => {
      discovery = undefined;
      throw err;
    });
  return discovery;
}

/** Some providers put department/project/groups only in /userinfo; ask it as well. */
async function fetchUserinfo(accessToken: string | undefined): Promise<ClaimSource | undefined> {
  if (!accessToken) return undefined;
  try {
    const { userinfo_endpoint } = await oidcDiscovery();
    if (!userinfo_endpoint) return undefined;
    const response = await fetch(userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
    return response.ok ? ((await response.json()) as ClaimSource) : undefined;
  } catch (err) {
    logger.warn({ err }, "userinfo request failed; using ID token claims only");
    return undefined;
  }
}

function oidcProvider(): OAuthConfig<ClaimSource> {
  const settings = env();
  return {
    id: OIDC_PROVIDER_ID,
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${settings.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: settings.OIDC_CLIENT_ID,
    clientSecret: settings.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile groups" } },
    // Authorization code flow with PKCE and state; the ID token is verified against the JWKS.
    checks: ["pkce", "state"],
    idToken: true,
    profile(profile) {
      return { id: String(profile.sub), email: String(profile.email ?? ""), name: (profile.name as string | undefined) ?? null };
    },
  };
}

/** The sign-in page with the code it explains (next-auth's own codes, or a LoginRefusal). */
function signInPageWith(error: LoginRefusal | "Callback"): string {
  return new URL(`/signin?error=${error}`, env().APP_URL).toString();
}

/**
 * Of a next-auth error we log only the class name, never the metadata: it may carry what a
 * client sent (query parameters of a forged callback, a provider's error text). next-auth's own
 * browser code posts its errors to /api/auth/_log, which the route answers without logging.
 */
function errorName(metadata: unknown): string | undefined {
  const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | null)?.error;
  return error instanceof Error ? error.name : undefined;
}

/**
 * Users recorded by the signIn callback, for the jwt callback of the same sign-in: without an
 * adapter next-auth hands both callbacks the same `account` object.
 */
const signedInUsers = new WeakMap<object, User>();

/**
 * Secure cookies with the `__Secure-` / `__Host-` names whenever the portal is served over https,
 * which production mode requires; plain names only for the local demo on http://localhost.
 */
export function usesSecureCookies(): boolean {
  return new URL(env().APP_URL).protocol === "https:";
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const settings = env();
  cached = {
    secret: settings.AUTH_SECRET,
    // Said, not left to next-auth's guess from NEXTAUTH_URL: the session cookie is Secure, HttpOnly, SameSite=Lax.
    useSecureCookies: usesSecureCookies(),
    providers: [oidcProvider()],
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      error: (code, metadata) => logger.error({ code, errorName: errorName(metadata) }, "next-auth error"),
      warn: (code) => logger.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
    callbacks: {
      // Record the user, or refuse the sign-in with a code the sign-in page explains.
      async signIn({ account, profile }) {
        if (!account || !profile) return signInPageWith("Callback");
        try {
          const userinfo = await fetchUserinfo(account.access_token);
          const claims = readLoginClaims(settings.OIDC_ISSUER, profile as ClaimSource, userinfo);
          signedInUsers.set(account, await recordLogin(claims));
          return true;
        } catch (error) {
          if (error instanceof LoginRefusedError) return signInPageWith(error.reason);
          logger.error({ err: error }, "sign-in failed");
          return signInPageWith("Callback");
        }
      },
      // Same origin only, path and query only, whatever next-auth is handed as a callbackUrl.
      redirect({ url }) {
        return new URL(safeCallbackUrl(url, settings.APP_URL), settings.APP_URL).toString();
      },
      async jwt({ token, account }) {
        // Only on sign-in: keep just the user's id and role in the cookie.
        if (account) {
          const user = signedInUsers.get(account);
          if (!user) throw new Error("The signIn callback did not record this sign-in's user");
          signedInUsers.delete(account);
          token.userId = user.id;
          token.role = user.role;
          token.email = user.email;
          token.name = user.name;
          // Needed for RP-initiated logout at the provider; never sent to the browser.
          token.idToken = account.id_token;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { id: token.userId, email: token.email ?? "", name: token.name ?? null, role: token.role };
        return session;
      },
    },
  };
  return cached;
}
