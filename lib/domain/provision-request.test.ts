import { describe, expect, it } from "vitest";
import type { ProvisioningParameter } from "./parameters";
import {
  initialTagOptionValues,
  offeredTagOptions,
  provisionRequestEnvelope,
  provisionRequestSchema,
  tagOptionTags,
  versionIssue,
  type ProvisioningFormDefinition,
  type ProvisionRequestInput,
  type ProvisionRequestSchemaOptions,
} from "./provision-request";
import { DEFAULT_RESERVED_TAG_KEYS } from "./tags";

const parameters: ProvisioningParameter[] = [
  { key: "EncryptionType", type: "String", noEcho: false, defaultValue: "SSE-S3", constraints: { allowedValues: ["SSE-S3", "SSE-KMS"] } },
  { key: "S3UserARNs", type: "CommaDelimitedList", noEcho: false, defaultValue: "", description: "Principals to share with", constraints: {} },
];

const tagOptions = [
  { key: "Environment", values: ["dev", "prod"] },
  { key: "CostCenter", values: ["CC-42"] },
];

type Over = Partial<ProvisionRequestSchemaOptions> & Partial<ProvisioningFormDefinition>;

function schemaWith({ parameters: ps = parameters, tagOptions: tos = tagOptions, metadata = { labels: {}, groups: [] }, ...options }: Over = {}) {
  return provisionRequestSchema({ parameters: ps, metadata, tagOptions: tos }, { reservedKeys: DEFAULT_RESERVED_TAG_KEYS, mode: "launch", ownerBoundKeys: ["OwnerPrincipalArn"], ...options });
}

const body: ProvisionRequestInput = {
  name: "alice-data",
  productId: "prod-abcdefghijklm",
  provisioningArtifactId: "pa-abcdefghijklm",
  parameters: { EncryptionType: "SSE-KMS", S3UserARNs: ["arn:aws:iam::123456789012:user/bob"] },
  tags: [{ key: "Purpose", value: "thesis" }],
  tagOptions: { Environment: "dev" },
};

function issues(input: unknown, over: Over = {}): [string, string][] {
  const r = schemaWith(over).safeParse(input);
  return (r.error?.issues ?? []).map((i: { path: PropertyKey[]; message: string }) => [i.path.join("."), i.message]);
}

describe("provisionRequestSchema", () => {
  it("parses a valid body and fills single-value tag options", () => {
    expect(schemaWith().parse(body)).toEqual({
      name: "alice-data",
      productId: "prod-abcdefghijklm",
      provisioningArtifactId: "pa-abcdefghijklm",
      parameters: { EncryptionType: "SSE-KMS", S3UserARNs: ["arn:aws:iam::123456789012:user/bob"] },
      tags: [{ key: "Purpose", value: "thesis" }],
      tagOptions: { Environment: "dev", CostCenter: "CC-42" },
    });
  });

  it("keeps a launch path and drops an empty one", () => {
    expect(schemaWith().parse({ ...body, pathId: "lpv3-abcdefghijklm" }).pathId).toBe("lpv3-abcdefghijklm");
    expect(schemaWith().parse({ ...body, pathId: "" })).not.toHaveProperty("pathId");
  });

  it("defaults tags to none", () => {
    const { tags: _omit, ...rest } = body;
    expect(schemaWith().parse(rest).tags).toEqual([]);
  });

  it("checks the name with AWS's rule", () => {
    expect(issues({ ...body, name: "my data" })).toEqual([
      ["name", "Name may only contain letters, digits, dots, underscores and hyphens (not spaces)"],
    ]);
  });

  it("checks the name is free when names are given", () => {
    expect(issues({ ...body, name: "Alice-Data" }, { existingNames: ["alice-data"] })).toEqual([
      ["name", 'Name "Alice-Data" is already used by another product: choose a different name'],
    ]);
  });

  it("requires product and version", () => {
    expect(issues({ ...body, productId: "", provisioningArtifactId: undefined })).toEqual([
      ["productId", "Choose a product"],
      ["provisioningArtifactId", "Choose a product version"],
    ]);
  });

  it("refuses malformed ids, never repeating more than 40 characters of them", () => {
    expect(issues({ ...body, productId: "prod/../x" })).toEqual([["productId", '"prod/../x" is not the id of a product (expected an id like prod-abcdefghij123)']]);
    expect(issues({ ...body, provisioningArtifactId: "prod-abcdefghijklm" })).toEqual([
      ["provisioningArtifactId", '"prod-abcdefghijklm" is not the id of a product version (expected an id like pa-abcdefghij123)'],
    ]);
    const [[, message]] = issues({ ...body, productId: `prod-${"x".repeat(100_000)}` }) as [[string, string]];
    expect(message.length).toBeLessThan(120);
    expect(issues({ ...body, pathId: "lpv3-abc\u0000defghijk" })).toEqual([["pathId", '"lpv3-abc\\u{0}defghijk" is not the id of a launch path (expected an id like lpv3-abcdefghij123)']]);
  });

  it("refuses an unknown field and a body that is not an object, naming them", () => {
    expect(issues({ ...body, admin: true })).toEqual([["", 'Unrecognized key: "admin"']]);
    expect(issues([body])).toEqual([["", "The request must be a JSON object with name, productId, provisioningArtifactId and parameters"]]);
    expect(issues({ ...body, parameters: "EncryptionType=SSE-KMS" })).toEqual([["parameters", "parameters must be an object of parameter names and values"]]);
  });

  it("caps every value at CloudFormation's 4,096 bytes, lists counted together", () => {
    const long = "é".repeat(2049); // 4,098 bytes
    expect(issues({ ...body, parameters: { ...body.parameters, EncryptionType: long } })).toEqual([
      ["parameters.EncryptionType", "Encryption Type is too long: AWS accepts at most 4096 bytes (this value takes 4098)"],
    ]);
    const items = Array.from({ length: 120 }, (_, i) => `arn:aws:iam::123456789012:role/Role${i}`);
    expect(issues({ ...body, parameters: { ...body.parameters, S3UserARNs: items } })[0]?.[1]).toMatch(/^S3 User ARNs is too long: AWS accepts at most 4096 bytes for all items together \(these 120 items take \d+\)$/);
  });

  it("refuses parameter names CloudFormation could not have and more than 200 of them", () => {
    expect(issues({ ...body, parameters: { ...body.parameters, "../x": "1" } })).toEqual([["parameters.../x", '"../x" is not a parameter name (letters and digits only)']]);
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`P${i}`, "x"]));
    expect(issues({ ...body, parameters: many })).toEqual([["parameters", "Too many parameters: a product has at most 200 (this request has 201)"]]);
    expect(issues({ ...body, parameters: { ...body.parameters, EncryptionType: { $ne: 1 } } })).toEqual([["parameters.EncryptionType", "Encryption Type must be text, a number or a list of text"]]);
  });

  it("says once that 10,000 tags are too many instead of checking each", () => {
    const tags = Array.from({ length: 10_000 }, () => ({ key: "aws:x", value: "" }));
    expect(issues({ ...body, tags })).toEqual([["tags", "Too many tags: AWS allows 50 per resource, including the 3 the portal adds (you have 10000)"]]);
  });

  it("reports parameter issues under parameters.<key>", () => {
    expect(issues({ ...body, parameters: { EncryptionType: "none", S3UserARNs: ["arn:aws:s3:::bucket"] } })).toEqual([
      ["parameters.EncryptionType", "Encryption Type must be one of: SSE-S3, SSE-KMS"],
      [
        "parameters.S3UserARNs.0",
        'S3 User ARNs, item 1: "arn:aws:s3:::bucket" cannot be given access: an S3 bucket ARN is not a principal; enter the ARN of an IAM user or role',
      ],
    ]);
  });

  it("refuses a reserved tag at tags.<index>.key", () => {
    expect(issues({ ...body, tags: [{ key: "Purpose", value: "x" }, { key: "ownerEmail", value: "mallory@x.org" }] })).toEqual([
      ["tags.1.key", 'Tag key "ownerEmail" is reserved (as "OwnerEmail"): the portal sets it for you'],
    ]);
  });

  it("refuses a custom tag that repeats a tag option key", () => {
    expect(issues({ ...body, tags: [{ key: "costcenter", value: "x" }] })).toEqual([
      ["tags.0.key", 'Tag key "costcenter" is already set by the tag option "CostCenter"'],
    ]);
  });

  it("counts tag options and reserved tags toward the 50-tag limit", () => {
    const tags = Array.from({ length: 46 }, (_, i) => ({ key: `K${i}`, value: "v" }));
    expect(issues({ ...body, tags })).toEqual([
      ["tags.45.key", "Too many tags: AWS allows 50 per resource and the portal adds 3 and tag options add 2, so you may add at most 45 (you have 46)"],
    ]);
    expect(issues({ ...body, tags: tags.slice(0, 45) })).toEqual([]);
  });

  describe("tag options", () => {
    it("requires a choice for a key with several values", () => {
      expect(issues({ ...body, tagOptions: {} })).toEqual([["tagOptions.Environment", 'Choose a value for the tag option "Environment"']]);
      expect(issues({ ...body, tagOptions: undefined })).toEqual([["tagOptions.Environment", 'Choose a value for the tag option "Environment"']]);
      expect(issues({ ...body, tagOptions: { Environment: "" } })).toEqual([["tagOptions.Environment", 'Choose a value for the tag option "Environment"']]);
    });

    it("refuses a value that is not offered", () => {
      expect(issues({ ...body, tagOptions: { Environment: "staging" } })).toEqual([
        ["tagOptions.Environment", 'Tag option "Environment" must be one of: dev, prod'],
      ]);
    });

    it("refuses a key that is not a tag option", () => {
      expect(issues({ ...body, tagOptions: { Environment: "dev", Team: "x" } })).toEqual([["tagOptions.Team", '"Team" is not a tag option of this product']]);
    });

    it("refuses a reserved key, even when the product offers it", () => {
      const withReserved = [...tagOptions, { key: "Project", values: ["a", "b"] }];
      expect(issues({ ...body, tagOptions: { Environment: "dev", Project: "a" } }, { tagOptions: withReserved })).toEqual([
        ["tagOptions.Project", 'Tag option "Project" uses a reserved tag key: the portal sets it for you'],
      ]);
      // ...and does not ask for it.
      expect(issues(body, { tagOptions: withReserved })).toEqual([]);
    });

    it("accepts a body without tag options when the product has none", () => {
      const { tagOptions: _omit, ...rest } = body;
      expect(schemaWith({ tagOptions: [] }).parse(rest).tagOptions).toEqual({});
    });
  });

  describe("update mode", () => {
    const secret: ProvisioningParameter = { key: "ApiToken", type: "String", noEcho: true, constraints: { minLength: 10 } };

    it("lets a blank secret keep its current value", () => {
      const update = schemaWith({ parameters: [...parameters, secret], mode: "update" });
      expect(update.safeParse({ ...body, parameters: { ...body.parameters, ApiToken: "" } }).success).toBe(true);
    });

    it("still requires it at launch", () => {
      expect(issues({ ...body, parameters: { ...body.parameters, ApiToken: "" } }, { parameters: [...parameters, secret] })).toEqual([
        ["parameters.ApiToken", "Api Token is required"],
      ]);
    });
  });

  it("refuses a value for an owner-bound parameter, whatever its case, and leaves it out", () => {
    const owner: ProvisioningParameter = { key: "OwnerPrincipalArn", type: "String", noEcho: false, constraints: { allowedPattern: "arn:.*" } };
    const withOwner = [...parameters, owner];
    expect(issues({ ...body, parameters: { ...body.parameters, OwnerPrincipalArn: "arn:aws:iam::999999999999:root" } }, { parameters: withOwner })).toEqual([
      ["parameters.OwnerPrincipalArn", "Owner Principal Arn is set by the portal to the owner's AWS identity: leave it out"],
    ]);
    expect(issues({ ...body, parameters: { ...body.parameters, OwnerPrincipalArn: "x" } }, { parameters: withOwner, ownerBoundKeys: ["ownerprincipalarn"] })[0]?.[0]).toBe("parameters.OwnerPrincipalArn");
    // Not required from people: the portal fills it.
    const parsed = schemaWith({ parameters: withOwner }).parse(body);
    expect(parsed.parameters).not.toHaveProperty("OwnerPrincipalArn");
  });

  it("names parameters by the template's labels", () => {
    const metadata = { labels: { EncryptionType: "Encryption" }, groups: [] };
    expect(issues({ ...body, parameters: { EncryptionType: "none" } }, { metadata })).toEqual([["parameters.EncryptionType", "Encryption must be one of: SSE-S3, SSE-KMS"]]);
  });

  it("reports problems in every part at once", () => {
    const found = issues({ ...body, name: "", parameters: { EncryptionType: "x" }, tags: [{ key: "aws:x", value: "" }], tagOptions: {} });
    expect(found.map(([path]) => path)).toEqual(["name", "parameters.EncryptionType", "tags.0.key", "tagOptions.Environment"]);
  });
});

describe("tag option helpers", () => {
  it("merges values of a repeated key and leaves out reserved and blank keys", () => {
    const offered = offeredTagOptions(
      [
        { key: "Env", values: ["dev"] },
        { key: "Env", values: ["prod", "dev"] },
        { key: "department", values: ["x"] },
        { key: " ", values: ["y"] },
      ],
      DEFAULT_RESERVED_TAG_KEYS,
    );
    expect([...offered]).toEqual([["Env", ["dev", "prod"]]]);
  });

  it("starts the form with single values chosen and others blank", () => {
    expect(initialTagOptionValues(tagOptions, DEFAULT_RESERVED_TAG_KEYS)).toEqual({ Environment: "", CostCenter: "CC-42" });
  });

  it("turns choices into tags", () => {
    expect(tagOptionTags({ Environment: "dev", CostCenter: "CC-42" })).toEqual([
      { key: "Environment", value: "dev" },
      { key: "CostCenter", value: "CC-42" },
    ]);
  });
});

describe("provisionRequestEnvelope", () => {
  const envelope = provisionRequestEnvelope(DEFAULT_RESERVED_TAG_KEYS);
  const found = (input: unknown) => (envelope.safeParse(input).error?.issues ?? []).map((i) => [i.path.join("."), i.message]);

  it("accepts what the full schema accepts, without knowing the product", () => {
    expect(envelope.safeParse(body).success).toBe(true);
  });

  it("refuses ids, shapes and sizes with the full schema's words", () => {
    const bad = { ...body, productId: "<script>", pathId: "lpv9-x", tags: Array.from({ length: 51 }, () => ({ key: "k", value: "v" })) };
    expect(found(bad)).toEqual(issues(bad));
    expect(found({ ...body, parameters: { A: "x".repeat(5000) } })).toEqual([["parameters.A", "A is too long: AWS accepts at most 4096 bytes (this value takes 5000)"]]);
    expect(found({ ...body, name: undefined })).toEqual([["name", "Name is required"]]);
  });

  it("leaves the rules about each value to the full schema, which reports them all at once", () => {
    const bad = { ...body, name: "my data", tags: [{ key: "ownerEmail", value: "x" }], parameters: { EncryptionType: "none" } };
    expect(found(bad)).toEqual([]);
    expect(issues(bad).map(([path]) => path)).toEqual(["name", "parameters.EncryptionType", "tags.0.key"]);
  });
});

describe("versionIssue", () => {
  const versions = [
    { id: "pa-aaaaaaaaaaaaa", name: "v1.0.0", deprecated: true },
    { id: "pa-bbbbbbbbbbbbb", name: "v1.1.0", deprecated: false },
    { id: "pa-ccccccccccccc", name: "v0.9.0", deprecated: true },
  ];

  it("refuses a version the product does not have", () => {
    expect(versionIssue(versions, "pa-zzzzzzzzzzzzz", { mode: "launch" })).toBe("That version does not exist for this product: choose one of the listed versions");
  });

  it("refuses a deprecated version for a launch", () => {
    expect(versionIssue(versions, "pa-aaaaaaaaaaaaa", { mode: "launch" })).toBe("v1.0.0 is deprecated: new products cannot be launched with it. Choose a current version");
    expect(versionIssue(versions, "pa-bbbbbbbbbbbbb", { mode: "launch" })).toBeNull();
  });

  it("lets a product stay on its deprecated version but not move to another deprecated one", () => {
    expect(versionIssue(versions, "pa-aaaaaaaaaaaaa", { mode: "update", currentVersionId: "pa-aaaaaaaaaaaaa" })).toBeNull();
    expect(versionIssue(versions, "pa-ccccccccccccc", { mode: "update", currentVersionId: "pa-aaaaaaaaaaaaa" })).toBe(
      "v0.9.0 is deprecated: a product can stay on a deprecated version but not move to one. Choose a current version",
    );
    expect(versionIssue(versions, "pa-bbbbbbbbbbbbb", { mode: "update", currentVersionId: "pa-aaaaaaaaaaaaa" })).toBeNull();
  });
});
