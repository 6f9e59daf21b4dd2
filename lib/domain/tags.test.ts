import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  DEFAULT_RESERVED_TAG_KEYS,
  MAX_TAGS_PER_RESOURCE,
  TAG_ALLOWED_CHARACTERS,
  buildReservedTags,
  characterCount,
  countReservedTags,
  isReservedTagKey,
  mergeTags,
  sanitizeTagValue,
  userTagAllowance,
  validateUserTags,
  type Tag,
} from "./tags";
import { userTagsSchema } from "./tag-schema";

const reservedKeys = DEFAULT_RESERVED_TAG_KEYS;

function issuesFor(tags: Tag[], options: Partial<Parameters<typeof validateUserTags>[1]> = {}) {
  return validateUserTags(tags, { reservedKeys, ...options });
}

function manyTags(n: number): Tag[] {
  return Array.from({ length: n }, (_, i) => ({ key: `Key${i}`, value: `v${i}` }));
}

describe("constants", () => {
  it("mirror AWS's limits", () => {
    expect(MAX_TAGS_PER_RESOURCE).toBe(50);
    expect(DEFAULT_RESERVED_TAG_KEYS).toEqual(["OwnerEmail", "Department", "Project"]);
  });

  it("allow Unicode letters, digits, whitespace and _ . : / = + - @", () => {
    expect(TAG_ALLOWED_CHARACTERS.test("Café 42_.:/=+-@")).toBe(true);
    expect(TAG_ALLOWED_CHARACTERS.test("日本語")).toBe(true);
    expect(TAG_ALLOWED_CHARACTERS.test("a,b")).toBe(false);
    expect(TAG_ALLOWED_CHARACTERS.test("a#b")).toBe(false);
  });
});

describe("validateUserTags", () => {
  it("accepts ordinary tags", () => {
    expect(issuesFor([{ key: "CostCenter", value: "1234" }, { key: "Purpose", value: "" }])).toEqual([]);
  });

  it("accepts an empty list", () => {
    expect(issuesFor([])).toEqual([]);
  });

  it("refuses an empty key", () => {
    expect(issuesFor([{ key: "  ", value: "x" }])).toEqual([{ index: 0, field: "key", message: "Tag key is required" }]);
  });

  it("refuses a reserved key and says the portal sets it", () => {
    expect(issuesFor([{ key: "OwnerEmail", value: "x" }])).toEqual([
      { index: 0, field: "key", message: 'Tag key "OwnerEmail" is reserved: the portal sets it for you' },
    ]);
  });

  it("compares reserved keys case-insensitively and names the reserved spelling", () => {
    const [issue] = issuesFor([{ key: "ownerEMAIL", value: "x" }]);
    expect(issue?.message).toBe('Tag key "ownerEMAIL" is reserved (as "OwnerEmail"): the portal sets it for you');
  });

  it("uses the configured reserved keys, not the defaults", () => {
    expect(validateUserTags([{ key: "Project", value: "x" }], { reservedKeys: ["CostCenter"] })).toEqual([]);
    expect(validateUserTags([{ key: "costcenter", value: "x" }], { reservedKeys: ["CostCenter"] })[0]?.message).toMatch(/reserved/);
  });

  it("refuses the aws: prefix in any casing", () => {
    for (const key of ["aws:cloudformation:stack-name", "AWS:x", "Aws:y"]) {
      const [issue] = issuesFor([{ key, value: "x" }]);
      expect(issue?.field).toBe("key");
      expect(issue?.message).toBe(`Tag key "${key}" may not start with "aws:": that prefix is kept for AWS's own tags`);
    }
  });

  it("allows aws inside a key when it is not the prefix", () => {
    expect(issuesFor([{ key: "my-aws:thing", value: "x" }, { key: "awsome", value: "y" }])).toEqual([]);
  });

  it("refuses exact duplicate keys on the later row", () => {
    expect(issuesFor([{ key: "Team", value: "a" }, { key: "Other", value: "" }, { key: "Team", value: "b" }])).toEqual([
      { index: 2, field: "key", message: 'Tag key "Team" is used twice: each key may appear only once' },
    ]);
  });

  it("refuses keys that differ only in capitals", () => {
    expect(issuesFor([{ key: "Team", value: "a" }, { key: "team", value: "b" }])).toEqual([
      { index: 1, field: "key", message: 'Tag key "team" repeats "Team": keys that differ only in capitals count as the same key' },
    ]);
  });

  it("treats keys that differ only by surrounding spaces as duplicates", () => {
    expect(issuesFor([{ key: "Team", value: "a" }, { key: " Team ", value: "b" }])[0]?.index).toBe(1);
  });

  it("refuses bad characters in a key and lists them", () => {
    expect(issuesFor([{ key: "cost#center,1", value: "x" }])).toEqual([
      {
        index: 0,
        field: "key",
        message: 'Tag key "cost#center,1" contains "#", ",": only letters, digits, spaces and _ . : / = + - @ are allowed',
      },
    ]);
  });

  it("refuses bad characters in a value and names the tag", () => {
    expect(issuesFor([{ key: "Note", value: "a;b" }])).toEqual([
      {
        index: 0,
        field: "value",
        message: 'Value of tag "Note" contains ";": only letters, digits, spaces and _ . : / = + - @ are allowed',
      },
    ]);
  });

  it("accepts Unicode letters in keys and values", () => {
    expect(issuesFor([{ key: "Équipe", value: "Génomique 日本" }])).toEqual([]);
  });

  it("accepts a key of exactly 128 characters and refuses 129", () => {
    expect(issuesFor([{ key: "k".repeat(128), value: "" }])).toEqual([]);
    const [issue] = issuesFor([{ key: "k".repeat(129), value: "" }]);
    expect(issue?.message).toMatch(/is 129 characters long: AWS allows at most 128$/);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(characterCount("😀")).toBe(1);
    expect(issuesFor([{ key: "Emoji", value: "é".repeat(256) }])).toEqual([]);
  });

  it("accepts a value of 256 characters and refuses 257", () => {
    expect(issuesFor([{ key: "Long", value: "v".repeat(256) }])).toEqual([]);
    expect(issuesFor([{ key: "Long", value: "v".repeat(257) }])).toEqual([
      { index: 0, field: "value", message: 'Value of tag "Long" is 257 characters long: AWS allows at most 256' },
    ]);
  });

  it("reports a key issue and a value issue on the same row, key first", () => {
    const issues = issuesFor([{ key: "", value: "x!" }]);
    expect(issues.map((i) => i.field)).toEqual(["key", "value"]);
    expect(issues[1]?.message).toBe('Tag value contains "!": only letters, digits, spaces and _ . : / = + - @ are allowed');
  });

  it("allows 47 user tags next to the 3 reserved ones", () => {
    expect(issuesFor(manyTags(47))).toEqual([]);
  });

  it("refuses the 48th user tag and says how many may be added", () => {
    const issues = issuesFor(manyTags(48));
    expect(issues).toEqual([
      {
        index: 47,
        field: "key",
        message: "Too many tags: AWS allows 50 per resource and the portal adds 3, so you may add at most 47 (you have 48)",
      },
    ]);
  });

  it("counts tag options toward the limit", () => {
    const issues = issuesFor(manyTags(46), { otherTagKeys: ["Environment", "Tier"] });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(
      "Too many tags: AWS allows 50 per resource and the portal adds 3 and tag options add 2, so you may add at most 45 (you have 46)",
    );
  });

  it("refuses a user tag that repeats a tag option key", () => {
    expect(issuesFor([{ key: "environment", value: "x" }], { otherTagKeys: ["Environment"] })).toEqual([
      { index: 0, field: "key", message: 'Tag key "environment" is already set by the tag option "Environment"' },
    ]);
  });

  it("only counts reserved keys the portal actually fills", () => {
    expect(countReservedTags(["OwnerEmail", "CostCenter"])).toBe(1);
    expect(userTagAllowance({ reservedKeys: ["OwnerEmail", "CostCenter"] })).toBe(49);
    expect(userTagAllowance({ reservedKeys, reservedTagCount: 0 })).toBe(50);
  });

  it("does not count a reserved key configured twice", () => {
    expect(countReservedTags(["Project", "project"])).toBe(1);
  });
});

describe("buildReservedTags", () => {
  it("maps email, department and project in the configured key casing", () => {
    expect(
      buildReservedTags({ email: "Alice@Example.org", department: "Genomics", project: "Atlas" }, ["OwnerEmail", "department", "PROJECT"]),
    ).toEqual([
      { key: "OwnerEmail", value: "alice@example.org" },
      { key: "department", value: "Genomics" },
      { key: "PROJECT", value: "Atlas" },
    ]);
  });

  it('writes "unknown" for a missing or blank department or project', () => {
    expect(buildReservedTags({ email: "a@b.org", department: null, project: "  " }, reservedKeys)).toEqual([
      { key: "OwnerEmail", value: "a@b.org" },
      { key: "Department", value: "unknown" },
      { key: "Project", value: "unknown" },
    ]);
  });

  it("skips reserved keys it has no value for", () => {
    expect(buildReservedTags({ email: "a@b.org" }, ["CostCenter", "OwnerEmail"])).toEqual([{ key: "OwnerEmail", value: "a@b.org" }]);
  });

  it("sanitises values to AWS's characters and length", () => {
    const [, department, project] = buildReservedTags(
      { email: "a@b.org", department: "R&D (Lab #2)", project: "x".repeat(300) },
      reservedKeys,
    );
    expect(department?.value).toBe("R_D _Lab _2_");
    expect(project?.value).toHaveLength(256);
    expect(TAG_ALLOWED_CHARACTERS.test(department?.value ?? "")).toBe(true);
  });

  it("keeps an email with plus addressing as it is", () => {
    expect(buildReservedTags({ email: "alice+lab@example.org" }, ["OwnerEmail"])[0]?.value).toBe("alice+lab@example.org");
  });

  it("produces tags that pass the value rules", () => {
    const tags = buildReservedTags({ email: "weird,addr@x.org", department: "a\tb", project: "<p>" }, reservedKeys);
    for (const t of tags) expect(TAG_ALLOWED_CHARACTERS.test(t.value)).toBe(true);
  });
});

describe("sanitizeTagValue", () => {
  it("trims, replaces disallowed characters with _ and cuts to 256 characters", () => {
    expect(sanitizeTagValue("  a,b  ")).toBe("a_b");
    expect(characterCount(sanitizeTagValue("😀".repeat(300)))).toBe(256);
  });
});

describe("mergeTags", () => {
  const reservedTags = buildReservedTags({ email: "alice@example.org", department: "Bio", project: "P1" }, reservedKeys);

  it("puts the user's tags first and the reserved ones after", () => {
    expect(mergeTags([{ key: "Team", value: "x" }], reservedTags)).toEqual([{ key: "Team", value: "x" }, ...reservedTags]);
  });

  it("lets the reserved tags win over a user tag of the same key in any casing", () => {
    const merged = mergeTags([{ key: "ownerEmail", value: "mallory@evil.org" }, { key: "Team", value: "x" }], reservedTags);
    expect(merged.filter((t) => t.key.toLowerCase() === "owneremail")).toEqual([{ key: "OwnerEmail", value: "alice@example.org" }]);
    expect(merged).toHaveLength(4);
  });

  it("trims user tags", () => {
    expect(mergeTags([{ key: " Team ", value: " x " }], [])).toEqual([{ key: "Team", value: "x" }]);
  });

  it("does not share objects with its inputs", () => {
    const merged = mergeTags([], reservedTags);
    expect(merged[0]).not.toBe(reservedTags[0]);
  });
});

describe("isReservedTagKey", () => {
  it("ignores case and surrounding spaces", () => {
    expect(isReservedTagKey(" project ", reservedKeys)).toBe(true);
    expect(isReservedTagKey("Projects", reservedKeys)).toBe(false);
  });
});

describe("userTagsSchema", () => {
  const form = z.object({ tags: userTagsSchema(reservedKeys) });

  it("parses and trims valid tags", () => {
    expect(form.parse({ tags: [{ key: " Team ", value: " a " }] })).toEqual({ tags: [{ key: "Team", value: "a" }] });
  });

  it("reports issues at tags.<index>.<field>", () => {
    const result = form.safeParse({
      tags: [
        { key: "Team", value: "a" },
        { key: "Team", value: "b" },
        { key: "Department", value: "c" },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["tags.1.key", 'Tag key "Team" is used twice: each key may appear only once'],
      ["tags.2.key", 'Tag key "Department" is reserved: the portal sets it for you'],
    ]);
  });

  it("refuses rows that are not {key, value} strings", () => {
    expect(form.safeParse({ tags: [{ key: 1 }] }).success).toBe(false);
  });

  it("passes tag option keys through to the rules", () => {
    const schema = userTagsSchema(reservedKeys, { otherTagKeys: ["Tier"] });
    expect(schema.safeParse([{ key: "tier", value: "x" }]).error?.issues[0]?.path).toEqual([0, "key"]);
  });
});
