import { describe, expect, it } from "vitest";
import {
  actionMatch,
  auditFilterSchema,
  auditPageQuerySchema,
  auditSearchParams,
  csvCell,
  csvLine,
  decodeAuditCursor,
  encodeAuditCursor,
} from "@/lib/domain/audit-query";

const issuesOf = (input: Record<string, unknown>) => {
  const parsed = auditPageQuerySchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
};

describe("audit filters", () => {
  it("normalises what people type: emails lower-cased, user ids, action names, blank fields dropped", () => {
    const parsed = auditPageQuerySchema.parse({ actor: "  Alice@Example.ORG ", action: "Product.Launch", outcome: "DENIED", targetType: "", targetId: "" });
    expect(parsed).toEqual({ actor: "alice@example.org", action: "product.launch", outcome: "DENIED", limit: 50 });
    expect(auditPageQuerySchema.parse({ actor: "0F8FAD5B-D9CB-469F-A165-70867728950E" }).actor).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
  });

  it("reads times with a zone (or a date) as UTC instants with milliseconds", () => {
    const parsed = auditFilterSchema.parse({ from: "2026-11-25T10:00:00+01:00", to: "2026-11-26" });
    expect(parsed.from).toBe("2026-11-25T09:00:00.000Z");
    expect(parsed.to).toBe("2026-11-26T00:00:00.000Z");
    expect(issuesOf({ from: "2026-11-25T10:00:00" })[0]?.path).toBe("from"); // no zone: ambiguous
    expect(issuesOf({ to: "yesterday" })[0]?.path).toBe("to");
    expect(issuesOf({ from: "2026-02-30" })[0]?.path).toBe("from");
  });

  it("refuses, naming the field, values of the wrong shape or size", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ actor: "not an email" }, "actor"],
      [{ actor: `${"a".repeat(250)}@example.org` }, "actor"],
      [{ action: "product launch" }, "action"],
      [{ action: "*" }, "action"],
      [{ action: "product.*.x*" }, "action"],
      [{ action: "a".repeat(102) }, "action"],
      [{ targetType: "Provisioned Product" }, "targetType"],
      [{ targetType: "p", targetId: "x".repeat(201) }, "targetId"],
      [{ targetType: "p", targetId: "abc\u0000" }, "targetId"],
      [{ targetType: "p", targetId: "abc\u202e" }, "targetId"],
      [{ targetId: "only-an-id" }, "targetType"],
      [{ outcome: "denied" }, "outcome"],
      [{ outcome: "MAYBE" }, "outcome"],
      [{ from: "2026-11-26", to: "2026-11-25" }, "to"],
      [{ from: "2026-11-25", to: "2026-11-25" }, "to"],
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ cursor: "x".repeat(500) }, "cursor"],
      [{ limit: "0" }, "limit"],
      [{ limit: "201" }, "limit"],
      [{ limit: "ten" }, "limit"],
      [{ limit: "1e2" }, "limit"],
      [{ actor: ["a@example.org"] }, "actor"],
    ];
    for (const [input, field] of cases) {
      const issues = issuesOf(input);
      expect(issues.map((i) => i.path), JSON.stringify(input).slice(0, 80)).toContain(field);
      for (const issue of issues) expect(issue.message.length).toBeLessThan(300);
    }
  });

  it("tells exact action names from prefixes", () => {
    expect(actionMatch("product.launch")).toEqual({ exact: "product.launch" });
    expect(actionMatch("product.*")).toEqual({ prefix: "product." });
    expect(actionMatch("prod*")).toEqual({ prefix: "prod" });
  });

  it("gives one URL per view: fixed order, no blanks, default page size left out", () => {
    const a = auditPageQuerySchema.parse({ outcome: "DENIED", actor: "A@example.org", limit: "50" });
    const b = auditPageQuerySchema.parse({ actor: "a@example.org", outcome: "DENIED", action: "" });
    expect(auditSearchParams(a).toString()).toBe("actor=a%40example.org&outcome=DENIED");
    expect(auditSearchParams(b).toString()).toBe(auditSearchParams(a).toString());
    const round = auditPageQuerySchema.parse(Object.fromEntries(auditSearchParams(auditPageQuerySchema.parse({ action: "product.*", limit: "10", from: "2026-01-01" }))));
    expect(round).toEqual({ action: "product.*", limit: 10, from: "2026-01-01T00:00:00.000Z" });
  });
});

describe("audit cursor", () => {
  const key = { createdAt: "2026-11-25T09:00:00.123Z", id: "0f8fad5b-d9cb-469f-a165-70867728950e" };

  it("round-trips, URL-safe, in both directions", () => {
    for (const direction of ["older", "newer"] as const) {
      const encoded = encodeAuditCursor({ ...key, direction });
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeAuditCursor(encoded)).toEqual({ ...key, direction });
      expect(auditPageQuerySchema.parse({ cursor: encoded }).cursor).toEqual({ ...key, direction });
    }
  });

  it("refuses anything it did not make", () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const forged of [
      "",
      "!!!",
      b64(["o", key.createdAt]),
      b64(["x", key.createdAt, key.id]),
      b64(["o", "2026-11-25 09:00:00", key.id]),
      b64(["o", "2026-02-30T09:00:00.000Z", key.id]),
      b64(["o", key.createdAt, "1; DROP TABLE audit_events"]),
      b64({ o: 1 }),
      Buffer.from("not json").toString("base64url"),
    ]) {
      expect(decodeAuditCursor(forged), forged).toBeNull();
    }
  });
});

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a", null, "b,c"])).toBe('a,,"b,c"\r\n');
  });

  it("defuses what a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe("\"'\r=1\"");
    expect(csvCell("a=1")).toBe("a=1");
  });
});
