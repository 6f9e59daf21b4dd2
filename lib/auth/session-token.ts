import "server-only";
import { createHash } from "node:crypto";
import { decode } from "next-auth/jwt";

/**
 * Who a request's session cookie names, for the one guard of every page and API route.
 *
 * The cookie is next-auth's own (an encrypted JWT its sign-in callback wrote: lib/auth/options),
 * read with next-auth's own `decode`, so the format stays next-auth's. What the guard skips is the
 * rest of `getServerSession`: it builds next-auth's whole request context (a CSRF token, hashed),
 * decrypts the cookie, runs the callbacks and then encrypts a fresh cookie, which a page or route
 * handler cannot even send back (next-auth's app-router path drops it). Measured here: decrypting
 * alone is a third of that, and a person's cookie is the same on every request of their session,
 * so a verified cookie is remembered (by its SHA-256, bounded, oldest first out) until its own
 * expiry. Nothing is weaker for it: a JWT session cannot be revoked before its expiry in any case,
 * and the user's row (deactivation, role) is still read on every request.
 */

const MAX_REMEMBERED = 10_000;
/** next-auth's own leeway on `exp` when it decrypts. */
const CLOCK_TOLERANCE_MS = 15_000;

type Verified = { userId: string; expiresAtMs: number };
const remembered = new Map<string, Verified>();

export type CookieJar = { name: string; value: string }[];

/** The session cookie's name, as next-auth sets it (`__Secure-` when the portal is served over HTTPS). */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}next-auth.session-token`;
}

/** The cookie's value, joined from next-auth's chunks (`name.0`, `name.1`, …) when it split a large one. */
export function sessionCookieValue(cookies: CookieJar, name: string): string | null {
  const whole = cookies.find((c) => c.name === name);
  if (whole) return whole.value;
  const chunks = cookies
    .filter((c) => c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1)))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length ? chunks.map((c) => c.value).join("") : null;
}

/** The user id in a valid, unexpired session cookie; null for none, a forged, tampered or expired one. */
export async function sessionUserId(cookies: CookieJar, options: { secret: string; secure: boolean }): Promise<string | null> {
  const token = sessionCookieValue(cookies, sessionCookieName(options.secure));
  if (!token) return null;
  const key = createHash("sha256").update(options.secret).update("\0").update(token).digest("base64url");
  const known = remembered.get(key);
  if (known) {
    if (Date.now() < known.expiresAtMs + CLOCK_TOLERANCE_MS) return known.userId;
    remembered.delete(key);
    return null;
  }
  const payload = await decode({ token, secret: options.secret }).catch(() => null);
  if (!payload || typeof payload.userId !== "string" || typeof payload.exp !== "number") return null;
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  remembered.set(key, { userId: payload.userId, expiresAtMs: payload.exp * 1000 });
  return payload.userId;
}
