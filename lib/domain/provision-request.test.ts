import { describe, expect, it } from "vitest";
import type { ProvisioningParameter } from "./parameters";
import {
  buildProvisionRequestSchema,
  initialTagOptionValues,
  offeredTagOptions,
  tagOptionTags,
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

function schemaWith(over: Partial<ProvisionRequestSchemaOptions> = {}) {
  return buildProvisionRequestSchema({ parameters, reservedKeys: DEFAULT_RESERVED_TAG_KEYS, tagOptions, ...over });
}

const body: ProvisionRequestInput = {
  name: "alice-data",
  productId: "prod-abcdefghijklm",
  provisioningArtifactId: "pa-abcdefghijklm",
  parameters: { EncryptionType: "SSE-KMS", S3UserARNs: ["arn:aws:iam::123456789012:user/bob"] },
  tags: [{ key: "Purpose", value: "thesis" }],
  tagOptions: { Environment: "dev" },
};

function issues(input: unknown, over: Partial<ProvisionRequestSchemaOptions> = {}): [string, string][] {
  const r = schemaWith(over).safeParse(input);
  return (r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]);
}

describe("buildProvisionRequestSchema", () => {
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
    expect(schemaWith().parse({ ...body, pathId: "lpv3-abc" }).pathId).toBe("lpv3-abc");
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

  it("refuses malformed ids", () => {
    expect(issues({ ...body, productId: "prod/../x" })).toEqual([["productId", '"prod/../x" is not a valid id for a product']]);
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
      expect(buildProvisionRequestSchema({ parameters, reservedKeys: DEFAULT_RESERVED_TAG_KEYS }).parse(rest).tagOptions).toEqual({});
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
