/**
 * The caller's address from X-Forwarded-For, trusting only the proxies in front of the portal.
 *
 * Decisions:
 * - Each proxy appends the address it saw; everything to the left of what the trusted proxies
 *   wrote is whatever the caller sent. So the address is the entry `hops` from the end (the
 *   nearest trusted proxy's view), never the first one, which anyone can write.
 * - `next start` writes the socket's address when the header is absent, so with one proxy (or
 *   none) `hops` is 1.
 * - Anything that is not an IPv4 or IPv6 address (a header cut short, text) is no address.
 * Runs on the server only (node:net).
 */
import { isIP } from "node:net";

export function clientAddress(forwardedFor: string | null, hops: number): string | null {
  const entries = (forwardedFor ?? "").split(",").map((entry) => entry.trim());
  const seen = entries[entries.length - hops];
  return seen && isIP(seen) ? seen : null;
}
