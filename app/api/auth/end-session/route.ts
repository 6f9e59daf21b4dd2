import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { oidcDiscovery, usesSecureCookies } from "@/lib/auth/options";

export const dynamic = "force-dynamic";

/**
 * Where to send the browser after the portal's own sign-out so the identity provider ends its
 * session too (OpenID Connect RP-initiated logout). Falls back to the portal's sign-in page when
 * the provider has no end_session_endpoint. Only the signed-in user's own ID token is used.
 */
export async function GET(request: NextRequest) {
  const settings = env();
  const signedOut = new URL("/signin?signedOut=1", settings.APP_URL).toString();
  const token = await getToken({ req: request, secret: settings.AUTH_SECRET, secureCookie: usesSecureCookies() });
  const discovery = await oidcDiscovery().catch(() => null);
  if (!token || !discovery?.end_session_endpoint) return NextResponse.json({ url: signedOut });
  const url = new URL(discovery.end_session_endpoint);
  url.searchParams.set("client_id", settings.OIDC_CLIENT_ID);
  url.searchParams.set("post_logout_redirect_uri", signedOut);
  if (token.idToken) url.searchParams.set("id_token_hint", token.idToken);
  return NextResponse.json({ url: url.toString() });
}
