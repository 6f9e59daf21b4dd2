import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("the caller's address", () => {
  it("is what the nearest trusted proxy saw, not what the caller wrote in front of it", () => {
    expect(clientAddress("203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("198.51.100.66, 203.0.113.7", 1)).toBe("203.0.113.7");
    // Two proxies (a CDN, then a load balancer): the CDN's view of the caller.
    expect(clientAddress("198.51.100.66, 203.0.113.7, 10.0.0.5", 2)).toBe("203.0.113.7");
    expect(clientAddress(" 2001:db8::1 ", 1)).toBe("2001:db8::1");
  });

  it("is none when the header is absent, too short for the proxies, or not an address", () => {
    expect(clientAddress(null, 1)).toBeNull();
    expect(clientAddress("", 1)).toBeNull();
    expect(clientAddress("203.0.113.7", 2)).toBeNull();
    expect(clientAddress("203.0.113.7, not-an-address", 1)).toBeNull();
    expect(clientAddress("203.0.113.7,", 1)).toBeNull();
    expect(clientAddress("203.0.113.7:443", 1)).toBeNull();
  });
});
