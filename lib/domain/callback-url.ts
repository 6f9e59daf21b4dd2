/**
 * Where to send someone after signing in (`/signin?callbackUrl=…`, and whatever next-auth is
 * handed as a callbackUrl). The value comes from a link anyone can craft, so it is resolved the
 * way a browser would resolve it (`new URL(value, APP_URL)`: backslashes count as slashes, tabs
 * and newlines are dropped, `//host` and `/\host` name another host) and kept only when the
 * result is on the portal's own origin; then only its path and query are used, percent-encoded,
 * so the Location header can carry neither another host nor CR/LF nor raw non-ASCII text.
 * Anything else goes to "/".
 */

/** Longer values are refused rather than echoed into a Location header. */
export const CALLBACK_URL_MAX_LENGTH = 2048;

const HOME = "/";

/** A same-origin path and query (always starting with a single "/"), or "/". */
export function safeCallbackUrl(value: unknown, appUrl: string): string {
  // A repeated query parameter arrives as an array: not a URL either.
  if (typeof value !== "string" || value === "" || value.length > CALLBACK_URL_MAX_LENGTH) return HOME;
  let resolved: URL;
  let origin: string;
  try {
    origin = new URL(appUrl).origin;
    resolved = new URL(value, appUrl);
  } catch {
    return HOME;
  }
  if (resolved.origin !== origin) return HOME;
  const target = `${resolved.pathname}${resolved.search}`;
  // A path such as "//x" is same-origin here but would be read as a host if echoed as it is.
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\") || target.length > CALLBACK_URL_MAX_LENGTH) return HOME;
  return target;
}

/** next-auth's id of the one sign-in provider; its callback path follows from it. */
export const OIDC_PROVIDER_ID = "oidc";

/** The redirect URI the OIDC client must allow: where the provider sends people back after sign-in. */
export function oidcRedirectUri(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}/api/auth/callback/${OIDC_PROVIDER_ID}`;
}
