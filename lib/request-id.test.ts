import { describe, expect, it } from "vitest";
import { requestIdFrom } from "@/lib/request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requestIdFrom", () => {
  it("keeps a plain id a proxy or client sent", () => {
    for (const id of ["0f8fad5b-d9cb-469f-a165-70867728950e", "1-67891233-abcdef012345678912345678", "req_01HZX3K5Q8", "trace.span:42-abc"]) {
      expect(requestIdFrom(id)).toBe(id);
    }
  });

  it("makes up a UUID when there is none", () => {
    expect(requestIdFrom(null)).toMatch(UUID);
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(requestIdFrom("")).toMatch(UUID);
    expect(requestIdFrom(null)).not.toBe(requestIdFrom(null));
  });

  it("replaces ids with characters that could forge or break log lines and headers", () => {
    for (const id of ['abc12345"} {"level":60', "abc12345\nfake line", "abc12345 with spaces", "<script>alert(1)</script>", "abcdefgh/../x", "ünïcödé-12345678", "abc12345\u0000"]) {
      expect(requestIdFrom(id)).toMatch(UUID);
    }
  });

  it("replaces ids that are too short, too long or start with punctuation", () => {
    expect(requestIdFrom("abc1234")).toMatch(UUID);
    expect(requestIdFrom("abc12345")).toBe("abc12345");
    expect(requestIdFrom("a".repeat(128))).toBe("a".repeat(128));
    expect(requestIdFrom("a".repeat(129))).toMatch(UUID);
    expect(requestIdFrom("a".repeat(100_000))).toMatch(UUID);
    expect(requestIdFrom("-abcdefgh")).toMatch(UUID);
    expect(requestIdFrom(".abcdefgh")).toMatch(UUID);
  });
});
