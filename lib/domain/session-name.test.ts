import { describe, expect, it } from "vitest";
import {
  SESSION_NAME_PATTERN,
  fnv1a32,
  isValidSessionTagValue,
  roleSessionNameFromEmail,
  sessionTagValue,
  sessionTagsFromIdentity,
  sourceIdentityFromEmail,
} from "./session-name";

describe("fnv1a32", () => {
  it("matches the published FNV-1a 32-bit test vectors", () => {
    expect(fnv1a32("")).toBe("811c9dc5");
    expect(fnv1a32("a")).toBe("e40c292c");
    expect(fnv1a32("foobar")).toBe("bf9cf968");
  });

  it("hashes UTF-8 bytes, so non-ASCII text is stable across runtimes", () => {
    expect(fnv1a32("é")).toBe(fnv1a32("\u00e9"));
    expect(fnv1a32("é")).not.toBe(fnv1a32("e"));
  });
});

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

  it("truncates a long email to 64 characters with a hash suffix", () => {
    const email = `${"x".repeat(70)}@example.org`;
    const name = roleSessionNameFromEmail(email);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^x{55}-[0-9a-f]{8}$/);
    expect(name).toMatch(SESSION_NAME_PATTERN);
  });

  it("keeps two long emails with the same start apart", () => {
    const prefix = "y".repeat(70);
    expect(roleSessionNameFromEmail(`${prefix}1@example.org`)).not.toBe(roleSessionNameFromEmail(`${prefix}2@example.org`));
  });

  it("replaces disallowed characters and adds a hash so the result stays unique", () => {
    const a = roleSessionNameFromEmail("jöhn@example.org");
    const b = roleSessionNameFromEmail("jähn@example.org");
    expect(a).toMatch(/^j_hn@example\.org-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a).toMatch(SESSION_NAME_PATTERN);
  });

  it("handles quoted local parts and spaces", () => {
    const name = roleSessionNameFromEmail('"john smith"@example.org');
    expect(name).toMatch(SESSION_NAME_PATTERN);
    expect(name.startsWith("_john_smith_@example.org-")).toBe(true);
  });

  it("fills a one-character input to the two-character minimum", () => {
    const name = roleSessionNameFromEmail("a");
    expect(name).toMatch(SESSION_NAME_PATTERN);
    expect(name.startsWith("a-")).toBe(true);
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

describe("sourceIdentityFromEmail", () => {
  it("follows the same rule as the session name", () => {
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
