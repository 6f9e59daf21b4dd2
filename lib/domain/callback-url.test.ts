import { describe, expect, it } from "vitest";
import { CALLBACK_URL_MAX_LENGTH, safeCallbackUrl } from "@/lib/domain/callback-url";

const APP_URL = "http://localhost:3000";
const safe = (value: unknown) => safeCallbackUrl(value, APP_URL);

// Values as the page receives them: Next has already percent-decoded the query string once.
describe("safeCallbackUrl", () => {
  it("keeps a path and query on the portal", () => {
    expect(safe("/products")).toBe("/products");
    expect(safe("/products/abc?tab=outputs&x=1")).toBe("/products/abc?tab=outputs&x=1");
    expect(safe("/catalog/prod-1/launch")).toBe("/catalog/prod-1/launch");
  });

  it("drops the fragment", () => {
    expect(safe("/products#top")).toBe("/products");
  });

  it("sends a backslash path (/%5Cevil.example decoded) home: browsers read it as another host", () => {
    expect(safe("/\\evil.example")).toBe("/");
    expect(safe("/\\/evil.example")).toBe("/");
    expect(safe("\\\\evil.example")).toBe("/");
  });

  it("sends tab, CR and LF tricks home (browsers drop them and see //evil.example)", () => {
    expect(safe("/\t/evil.example")).toBe("/");
    expect(safe("/\n/evil.example")).toBe("/");
    expect(safe("/\r/evil.example")).toBe("/");
    expect(safe("/\r\n/evil.example")).toBe("/");
  });

  it("never returns CR, LF or non-ASCII text, which cannot go into a Location header", () => {
    for (const value of ["/a\r\nSet-Cookie: x=1", "/é?q=ü", "/a\u2028b", "/😀", "/products\u0000x"]) {
      const target = safe(value);
      expect(target).toMatch(/^\/[\x21-\x7e]*$/);
    }
    expect(safe("/é?q=ü")).toBe("/%C3%A9?q=%C3%BC");
    expect(safe("/a\r\nSet-Cookie: x=1")).toBe("/aSet-Cookie:%20x=1");
  });

  it("sends protocol-relative and absolute URLs of other origins home", () => {
    expect(safe("//evil.example")).toBe("/");
    expect(safe("//evil.example/products")).toBe("/");
    expect(safe("https://evil.example/")).toBe("/");
    expect(safe("http://localhost:3000@evil.example/")).toBe("/");
    expect(safe("https://localhost:3000/products")).toBe("/"); // other scheme, other origin
    expect(safe("http://localhost:3001/products")).toBe("/"); // other port
  });

  it("keeps an absolute URL on the portal's own origin, as path and query", () => {
    expect(safe("http://localhost:3000/products?x=1#y")).toBe("/products?x=1");
    expect(safe("HTTP://LOCALHOST:3000/products")).toBe("/products");
  });

  it("sends script and data URLs home", () => {
    expect(safe("javascript:alert(document.cookie)")).toBe("/");
    expect(safe(" javascript:alert(1)")).toBe("/");
    expect(safe("data:text/html,<script>alert(1)</script>")).toBe("/");
  });

  it("does not turn dot segments into a host", () => {
    expect(safe("/.//evil.example")).toBe("/");
    expect(safe("/products/../..//evil.example")).toBe("/");
    expect(safe("/products/../catalog")).toBe("/catalog");
  });

  it("resolves a relative value against the portal", () => {
    expect(safe("products")).toBe("/products");
    expect(safe("?x=1")).toBe("/?x=1");
  });

  it("sends very long values home", () => {
    expect(safe(`/${"a".repeat(CALLBACK_URL_MAX_LENGTH)}`)).toBe("/");
    expect(safe(`/${"a".repeat(100)}`)).toBe(`/${"a".repeat(100)}`);
    // Short to the eye, long once encoded.
    expect(safe(`/${"é".repeat(CALLBACK_URL_MAX_LENGTH / 2)}`)).toBe("/");
  });

  it("sends missing or non-text values home", () => {
    expect(safe(undefined)).toBe("/");
    expect(safe(null)).toBe("/");
    expect(safe("")).toBe("/");
    expect(safe(["/products", "//evil.example"])).toBe("/");
  });

  it("uses the origin of APP_URL, not its path", () => {
    expect(safeCallbackUrl("/products", "https://portal.example.org/")).toBe("/products");
    expect(safeCallbackUrl("https://portal.example.org/products", "https://portal.example.org")).toBe("/products");
    expect(safeCallbackUrl("http://portal.example.org/products", "https://portal.example.org")).toBe("/");
  });
});
