/**
 * Runs before every request: a per-request CSP nonce, a request id for the logs, HSTS in
 * production mode, and an optimistic redirect to sign-in when there is no session cookie at all.
 * The real authorization happens in the page layouts and route guards; this only saves a round trip.
 */
import { NextResponse, type NextRequest } from "next/server";
import { requestIdFrom } from "@/lib/request-id";
import { env } from "@/lib/env";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const PUBLIC_PREFIXES = ["/signin", "/api/", "/_next/", "/favicon"];

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React uses eval for error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// Two years, subdomains included: production mode is https only (APP_URL must be https). Set here,
// not in next.config.ts, whose headers are fixed when the portal is built, whatever the mode it runs in.
const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

function withTransportSecurity(response: NextResponse): NextResponse {
  if (env().QUARTERMASTER_MODE === "production") response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // A caller's id only when it is plain and short; it ends up in every log line of the request.
  const requestId = requestIdFrom(request.headers.get("x-request-id"));

  const isPublic = PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!isPublic && !hasSession) {
    const url = request.nextUrl.clone();
    url.pathname = "/signin";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    const redirect = NextResponse.redirect(url);
    redirect.headers.set("x-request-id", requestId);
    return withTransportSecurity(redirect);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("x-request-id", requestId);
  // The path, for pages that record a refused visit in the audit log (set here, never the caller's).
  headers.set("x-pathname", pathname);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("x-request-id", requestId);
  return withTransportSecurity(response);
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
