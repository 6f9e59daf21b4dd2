import { describe, expect, it } from "vitest";
import { readLoginClaims, roleFor } from "@/lib/domain/claims";

const issuer = "http://localhost:3001";

describe("readLoginClaims", () => {
  it("reads the standard and Quartermaster claims", () => {
    const claims = readLoginClaims(issuer, { sub: "alice", email: "Alice@Example.org", name: "Alice Example", department: "Neuroscience", project: "ADNI", groups: ["a", "b"] });
    expect(claims).toEqual({ issuer, subject: "alice", email: "alice@example.org", name: "Alice Example", department: "Neuroscience", project: "ADNI", groups: ["a", "b"] });
  });

  it("merges /userinfo over the ID token, ignoring empty values", () => {
    const claims = readLoginClaims(issuer, { sub: "bob", email: "bob@example.org", department: "" }, { department: "Genomics", project: "TOPMed", name: null });
    expect(claims.department).toBe("Genomics");
    expect(claims.project).toBe("TOPMed");
    expect(claims.name).toBeNull();
  });

  it("accepts groups as a comma-separated string", () => {
    expect(readLoginClaims(issuer, { sub: "x", email: "x@example.org", groups: "quartermaster-admins, staff" }).groups).toEqual(["quartermaster-admins", "staff"]);
  });

  it("falls back to preferred_username for the name", () => {
    expect(readLoginClaims(issuer, { sub: "x", email: "x@example.org", preferred_username: "xavier" }).name).toBe("xavier");
  });

  it("reads email_verified as a boolean or as text, and leaves it out when the provider does not say", () => {
    const read = (email_verified: unknown) => readLoginClaims(issuer, { sub: "x", email: "x@example.org", email_verified }).emailVerified;
    expect(read(true)).toBe(true);
    expect(read(false)).toBe(false);
    expect(read("true")).toBe(true);
    expect(read(" FALSE ")).toBe(false);
    expect(read(undefined)).toBeUndefined();
    expect(read(null)).toBeUndefined();
    expect(read("maybe")).toBeUndefined();
    expect(read(0)).toBeUndefined();
  });

  it("keeps a 'not verified' from the ID token even when /userinfo leaves the claim out or says otherwise", () => {
    const idToken = { sub: "x", email: "x@example.org", email_verified: false };
    expect(readLoginClaims(issuer, idToken, { department: "Genomics" }).emailVerified).toBe(false);
    expect(readLoginClaims(issuer, idToken, { email: "X@example.org", email_verified: true }).emailVerified).toBe(false);
    expect(readLoginClaims(issuer, { sub: "x", email: "x@example.org", email_verified: true }, { email_verified: "false" }).emailVerified).toBe(false);
  });

  it("judges the email it uses by what its sender said about it", () => {
    // /userinfo's email wins; the ID token's flag was about another address.
    const claims = readLoginClaims(issuer, { sub: "x", email: "old@example.org", email_verified: false }, { email: "new@example.org", email_verified: true });
    expect(claims).toMatchObject({ email: "new@example.org", emailVerified: true });
  });

  it("refuses a login without subject or email, saying which", () => {
    expect(() => readLoginClaims(issuer, { email: "x@example.org" })).toThrow(/subject \(sub\)/);
    expect(() => readLoginClaims(issuer, { sub: "x" })).toThrow(/email claim/);
  });
});

describe("roleFor", () => {
  const settings = { adminGroup: "quartermaster-admins", adminEmails: ["boss@example.org"] };
  it("makes members of the admin group administrators", () => {
    expect(roleFor({ email: "a@example.org", groups: ["quartermaster-admins"] }, settings)).toBe("ADMIN");
  });
  it("makes listed emails administrators, whatever their case", () => {
    expect(roleFor({ email: "Boss@Example.org", groups: [] }, settings)).toBe("ADMIN");
  });
  it("leaves everyone else a researcher", () => {
    expect(roleFor({ email: "alice@example.org", groups: ["staff", "quartermaster-admins-not"] }, settings)).toBe("USER");
  });
});
