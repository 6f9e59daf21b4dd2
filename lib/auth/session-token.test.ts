/**
 * The guard's reading of next-auth's session cookie: what next-auth's own `encode` wrote (as its
 * sign-in callback does) names its user; a forged, tampered, expired or foreign-secret cookie names
 * nobody, including after a first good read was remembered.
 */
import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionCookieName, sessionCookieValue, sessionUserId } from "@/lib/auth/session-token";

const secret = "a-test-secret-of-enough-length-0123456789";
const options = { secret, secure: false };
const cookieOf = (value: string, name = "next-auth.session-token") => [{ name, value }];
const signedIn = (userId: string, maxAge = 3600) => encode({ token: { sub: userId, userId, role: "USER", email: `${userId}@example.org`, name: null }, secret, maxAge });

afterEach(() => vi.useRealTimers());

describe("sessionUserId", () => {
  it("reads the user id from next-auth's own session cookie, again and again", async () => {
    const token = await signedIn("user-1");
    expect(await sessionUserId(cookieOf(token), options)).toBe("user-1");
    expect(await sessionUserId(cookieOf(token), options)).toBe("user-1");
    expect(await sessionUserId(cookieOf(await signedIn("user-2")), options)).toBe("user-2");
  });

  it("names nobody without the cookie, or with it under the other name (HTTP vs HTTPS)", async () => {
    const token = await signedIn("user-1");
    expect(await sessionUserId([], options)).toBeNull();
    expect(await sessionUserId(cookieOf(token, "__Secure-next-auth.session-token"), options)).toBeNull();
    expect(await sessionUserId(cookieOf(token, "__Secure-next-auth.session-token"), { secret, secure: true })).toBe("user-1");
  });

  it("names nobody for a forged or tampered cookie, or one sealed with another secret", async () => {
    const token = await signedIn("user-1");
    expect(await sessionUserId(cookieOf("not-a-jwt"), options)).toBeNull();
    const parts = token.split(".");
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith("AA") ? "BB" : "AA"}`;
    expect(await sessionUserId(cookieOf(parts.join(".")), options)).toBeNull();
    const foreign = await encode({ token: { userId: "user-1", role: "USER" }, secret: "another-secret-entirely-0123456789abcdef", maxAge: 3600 });
    expect(await sessionUserId(cookieOf(foreign), options)).toBeNull();
    // A cookie read once under the right secret is not remembered under another.
    expect(await sessionUserId(cookieOf(token), options)).toBe("user-1");
    expect(await sessionUserId(cookieOf(token), { secret: "another-secret-entirely-0123456789abcdef", secure: false })).toBeNull();
  });

  it("names nobody once the session has expired, even after a good read was remembered", async () => {
    const expired = await signedIn("user-4", -60);
    expect(await sessionUserId(cookieOf(expired), options)).toBeNull();
    const token = await signedIn("user-3", 60);
    expect(await sessionUserId(cookieOf(token), options)).toBe("user-3");
    vi.useFakeTimers({ now: Date.now() + 60_000 + 16_000, toFake: ["Date"] });
    expect(await sessionUserId(cookieOf(token), options)).toBeNull();
  });

  it("joins a cookie next-auth split into chunks, in chunk order", async () => {
    const token = await signedIn("user-5");
    const name = sessionCookieName(false);
    const third = Math.ceil(token.length / 3);
    const chunks = [2, 0, 1].map((i) => ({ name: `${name}.${i}`, value: token.slice(i * third, (i + 1) * third) }));
    expect(sessionCookieValue(chunks, name)).toBe(token);
    expect(await sessionUserId(chunks, options)).toBe("user-5");
    expect(sessionCookieValue([{ name: `${name}.x`, value: "a" }], name)).toBeNull();
  });
});
