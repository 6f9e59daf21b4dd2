import { describe, expect, it } from "vitest";
import { readLoginClaims, roleFor } from "@/lib/auth/claims";

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
