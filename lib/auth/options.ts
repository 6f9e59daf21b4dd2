import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { readLoginClaims, type ClaimSource } from "@/lib/auth/claims";
import { recordLogin } from "@/lib/services/users";

export const OIDC_PROVIDER_ID = "oidc";

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

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const settings = env();
  cached = {
    secret: settings.AUTH_SECRET,
    providers: [oidcProvider()],
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      error: (code, metadata) => logger.error({ code, metadata }, "next-auth error"),
      warn: (code) => logger.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
    callbacks: {
      async jwt({ token, account, profile }) {
        // Only on sign-in: record the user and keep just their id and role in the cookie.
        if (account && profile) {
          const userinfo = await fetchUserinfo(account.access_token);
          const claims = readLoginClaims(settings.OIDC_ISSUER, profile as ClaimSource, userinfo);
          const user = await recordLogin(claims);
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
