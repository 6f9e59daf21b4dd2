import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_PATTERN, bearerTokenOf, createAccessTokenSchema, credentialProcessCommand, tokenStatus } from "@/lib/domain/access-tokens";

describe("access token rules", () => {
  it("defaults to 30 days and refuses more than 90, naming the field", () => {
    expect(createAccessTokenSchema.parse({ name: " laptop " })).toEqual({ name: "laptop", expiresInDays: 30 });
    const refused = createAccessTokenSchema.safeParse({ name: "laptop", expiresInDays: 91 });
    expect(refused.error?.issues[0]).toMatchObject({ path: ["expiresInDays"], message: "A token lives at most 90 days." });
    expect(createAccessTokenSchema.safeParse({ name: "x", extra: 1 }).success).toBe(false);
    expect(createAccessTokenSchema.safeParse({ name: "bad\u202ename" }).success).toBe(false);
  });

  it("reads a bearer token only from a well-formed Authorization header", () => {
    expect(bearerTokenOf("Bearer qm_pat_abc")).toBe("qm_pat_abc");
    expect(bearerTokenOf("bearer  qm_pat_abc ")).toBe("qm_pat_abc");
    expect(bearerTokenOf("Basic Zm9v")).toBeNull();
    expect(bearerTokenOf("Bearer a b")).toBeNull();
    expect(bearerTokenOf(null)).toBeNull();
  });

  it("tells active, expired and revoked apart", () => {
    const now = new Date("2026-11-26T00:00:00Z");
    expect(tokenStatus({ revokedAt: null, expiresAt: new Date("2026-11-27T00:00:00Z") }, now)).toBe("active");
    expect(tokenStatus({ revokedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(tokenStatus({ revokedAt: now, expiresAt: new Date("2026-11-27T00:00:00Z") }, now)).toBe("revoked");
    expect(ACCESS_TOKEN_PATTERN.test(`qm_pat_${"a".repeat(43)}`)).toBe(true);
  });

  it("builds a credential_process line that reads the token file and reports failures on stderr", () => {
    const line = credentialProcessCommand("https://portal.example.org/");
    expect(line).toContain("https://portal.example.org/api/credentials");
    expect(line).toContain("$(cat ~/.aws/quartermaster-token)");
    expect(line).toContain(">&2");
  });
});
