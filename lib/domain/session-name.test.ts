import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  SESSION_NAME_PATTERN,
  awsSessionNameFromEmail,
  isValidSessionTagValue,
  roleSessionNameFromEmail,
  sessionTagValue,
  sessionTagsFromIdentity,
  sourceIdentityFromEmail,
} from "./session-name";

const sha256Prefix = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 20);

describe("roleSessionNameFromEmail", () => {
  it("keeps an email that already fits STS's rule, lower-cased", () => {
    expect(roleSessionNameFromEmail("Alice@Example.org")).toBe("alice@example.org");
  });

  it("keeps plus addressing and dots, which STS allows", () => {
    expect(roleSessionNameFromEmail("alice.smith+lab@example.org")).toBe("alice.smith+lab@example.org");
  });

  it("ignores surrounding spaces", () => {
    expect(roleSessionNameFromEmail("  bob@example.org ")).toBe("bob@example.org");
  });

  it("is stable for the same user", () => {
    const email = "a-very-long-email-address-for-someone-in-genomics@research-institute.example.org";
    expect(roleSessionNameFromEmail(email)).toBe(roleSessionNameFromEmail(email.toUpperCase()));
  });

  it("cuts a long email to 43 characters and adds 20 hex digits of SHA-256 of the whole email", () => {
    const email = `${"x".repeat(70)}@Example.org`;
    const name = roleSessionNameFromEmail(email);
    expect(name).toHaveLength(64);
    expect(name).toBe(`${"x".repeat(43)}-${sha256Prefix(email.toLowerCase())}`);
    expect(name).toMatch(SESSION_NAME_PATTERN);
  });

  it("keeps two long emails with the same start apart", () => {
    const prefix = "y".repeat(70);
    expect(roleSessionNameFromEmail(`${prefix}1@example.org`)).not.toBe(roleSessionNameFromEmail(`${prefix}2@example.org`));
  });

  it("gives different names to two long emails whose 32-bit FNV-1a hashes are equal", () => {
    // Found in a second by trying numbered addresses; with the old 8-digit FNV suffix both
    // people had the same session name, hence the same principal ARN.
    const a = "researcher.with.a.very.long.name.in.the.genomics.department.417799@example.org";
    const b = "researcher.with.a.very.long.name.in.the.genomics.department.1310192@example.org";
    expect(roleSessionNameFromEmail(a)).not.toBe(roleSessionNameFromEmail(b));
    expect(roleSessionNameFromEmail(a)).toMatch(/-[0-9a-f]{20}$/);
  });

  it("replaces disallowed characters and adds a hash so the result stays unique", () => {
    const a = roleSessionNameFromEmail("jöhn@example.org");
    const b = roleSessionNameFromEmail("jähn@example.org");
    expect(a).toBe(`j_hn@example.org-${sha256Prefix("jöhn@example.org")}`);
    expect(a).not.toBe(b);
    expect(a).toMatch(SESSION_NAME_PATTERN);
  });

  it("replaces a character outside the Basic Multilingual Plane by one underscore, not two", () => {
    const name = roleSessionNameFromEmail("🦀crab@example.org");
    expect(name).toBe(`_crab@example.org-${sha256Prefix("🦀crab@example.org")}`);
  });

  it("hashes the UTF-8 bytes of the normalised email, so case and surrounding spaces do not matter", () => {
    expect(roleSessionNameFromEmail("  JÖHN@Example.org ")).toBe(roleSessionNameFromEmail("jöhn@example.org"));
  });

  it("never exceeds 64 characters, however long or unusual the email", () => {
    for (const email of ["ü".repeat(300), `${"a".repeat(63)}é`, `"${"q ".repeat(40)}"@example.org`, "a,b=c+d@e.f" + "😀".repeat(30)]) {
      const name = roleSessionNameFromEmail(email);
      expect(name).toMatch(SESSION_NAME_PATTERN);
      expect(name.length).toBeLessThanOrEqual(64);
    }
  });

  it("handles quoted local parts and spaces", () => {
    const name = roleSessionNameFromEmail('"john smith"@example.org');
    expect(name).toMatch(SESSION_NAME_PATTERN);
    expect(name.startsWith("_john_smith_@example.org-")).toBe(true);
  });

  it("fills a one-character input to the two-character minimum", () => {
    const name = roleSessionNameFromEmail("a");
    expect(name).toMatch(SESSION_NAME_PATTERN);
    expect(name).toBe(`a-${sha256Prefix("a")}`);
  });

  it("keeps an email of exactly 64 characters unchanged", () => {
    const email = `${"z".repeat(52)}@example.org`;
    expect(email).toHaveLength(64);
    expect(roleSessionNameFromEmail(email)).toBe(email);
  });

  it("refuses an empty email", () => {
    expect(() => roleSessionNameFromEmail("  ")).toThrow(/email address is needed/);
  });
});

describe("sourceIdentityFromEmail and awsSessionNameFromEmail", () => {
  it("follow the same rule as the session name", () => {
    expect(awsSessionNameFromEmail("Alice@Example.org")).toBe("alice@example.org");
    expect(sourceIdentityFromEmail("Alice@Example.org")).toBe("alice@example.org");
    const long = `${"q".repeat(80)}@example.org`;
    expect(sourceIdentityFromEmail(long)).toBe(roleSessionNameFromEmail(long));
    expect(sourceIdentityFromEmail(long)).toMatch(SESSION_NAME_PATTERN);
  });
});

describe("sessionTagValue", () => {
  it("keeps valid values", () => {
    expect(sessionTagValue("Genomics Lab")).toBe("Genomics Lab");
    expect(isValidSessionTagValue("alice+x@example.org")).toBe(true);
  });

  it("replaces disallowed characters and cuts to 256 characters", () => {
    expect(sessionTagValue("R&D, west")).toBe("R_D_ west");
    const long = sessionTagValue("v".repeat(400));
    expect(long).toHaveLength(256);
    expect(isValidSessionTagValue(long)).toBe(true);
  });

  it("rejects values STS would refuse", () => {
    expect(isValidSessionTagValue("a,b")).toBe(false);
    expect(isValidSessionTagValue("v".repeat(257))).toBe(false);
  });
});

describe("sessionTagsFromIdentity", () => {
  it("matches the reserved product tags and marks them all transitive", () => {
    const { tags, transitiveTagKeys } = sessionTagsFromIdentity(
      { email: "Alice@Example.org", department: "Bio & Chem", project: null },
      ["OwnerEmail", "Department", "Project"],
    );
    expect(tags).toEqual([
      { Key: "OwnerEmail", Value: "alice@example.org" },
      { Key: "Department", Value: "Bio _ Chem" },
      { Key: "Project", Value: "unknown" },
    ]);
    expect(transitiveTagKeys).toEqual(["OwnerEmail", "Department", "Project"]);
  });
});
