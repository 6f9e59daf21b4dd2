import { describe, expect, it } from "vitest";
import {
  PROVISIONED_PRODUCT_NAME_PATTERN,
  isProvisionedProductNameTaken,
  provisionedProductNameIssue,
  provisionedProductNameSchema,
  suggestName,
  uniqueProvisionedProductNameSchema,
} from "./provisioned-product-name";

function messageFor(name: unknown): string | undefined {
  return provisionedProductNameSchema.safeParse(name).error?.issues[0]?.message;
}

describe("provisionedProductNameSchema", () => {
  it.each(["a", "Z", "9", "my-bucket", "my_bucket.v2", "A1-b2_c3.d4", "x".repeat(128)])("accepts %s", (name) => {
    expect(provisionedProductNameSchema.safeParse(name).success).toBe(true);
    expect(PROVISIONED_PRODUCT_NAME_PATTERN.test(name)).toBe(true);
  });

  it("trims surrounding spaces", () => {
    expect(provisionedProductNameSchema.parse("  my-bucket ")).toBe("my-bucket");
  });

  it("requires a name", () => {
    expect(messageFor("")).toBe("Name is required");
    expect(messageFor("   ")).toBe("Name is required");
  });

  it("refuses more than 128 characters", () => {
    expect(messageFor("x".repeat(129))).toBe("Name is 129 characters long: AWS allows at most 128");
  });

  it("refuses spaces and other characters, naming them", () => {
    expect(messageFor("my bucket")).toBe("Name may only contain letters, digits, dots, underscores and hyphens (not spaces)");
    expect(messageFor("my/bucket#1")).toBe('Name may only contain letters, digits, dots, underscores and hyphens (not "/", "#")');
  });

  it("refuses non-ASCII letters, which AWS's rule excludes", () => {
    expect(messageFor("café")).toMatch(/not "é"/);
  });

  it("requires a letter or digit first", () => {
    for (const name of ["-bucket", "_bucket", ".bucket"]) expect(messageFor(name)).toBe("Name must start with a letter or a digit");
  });

  it("refuses non-strings", () => {
    expect(provisionedProductNameSchema.safeParse(42).success).toBe(false);
  });

  it("agrees with AWS's pattern on every verdict", () => {
    for (const name of ["a", "-a", "a b", "ok.name", "x".repeat(128), "x".repeat(129), "ñ"]) {
      expect(provisionedProductNameIssue(name) === null).toBe(PROVISIONED_PRODUCT_NAME_PATTERN.test(name));
    }
  });
});

describe("uniqueProvisionedProductNameSchema", () => {
  const schema = uniqueProvisionedProductNameSchema(["my-bucket", "Instance-1"]);

  it("accepts a free name", () => {
    expect(schema.parse("other")).toBe("other");
  });

  it("refuses a taken name in any casing", () => {
    expect(schema.safeParse("instance-1").error?.issues[0]?.message).toBe(
      'Name "instance-1" is already used by another product: choose a different name',
    );
  });

  it("reports only the naming rule when the name is also invalid", () => {
    const issues = uniqueProvisionedProductNameSchema([""]).safeParse("").error?.issues;
    expect(issues?.map((i) => i.message)).toEqual(["Name is required"]);
  });
});

describe("isProvisionedProductNameTaken", () => {
  it("compares case-insensitively", () => {
    expect(isProvisionedProductNameTaken("MY-BUCKET", new Set(["my-bucket"]))).toBe(true);
    expect(isProvisionedProductNameTaken("my-bucket-2", ["my-bucket"])).toBe(false);
  });
});

describe("suggestName", () => {
  it("turns a product name into a valid name", () => {
    expect(suggestName("Encrypted S3 Bucket", [])).toBe("encrypted-s3-bucket");
  });

  it("collapses runs of bad characters and strips the ends", () => {
    expect(suggestName("  (GPU)  Instance -- Linux!  ", [])).toBe("gpu-instance-linux");
  });

  it("numbers the name when it is taken", () => {
    expect(suggestName("Encrypted S3 Bucket", ["encrypted-s3-bucket"])).toBe("encrypted-s3-bucket-2");
    expect(suggestName("Encrypted S3 Bucket", ["Encrypted-S3-Bucket", "encrypted-s3-bucket-2"])).toBe("encrypted-s3-bucket-3");
  });

  it("falls back to 'product' when nothing usable is left", () => {
    expect(suggestName("日本語", [])).toBe("product");
    expect(suggestName("", ["product"])).toBe("product-2");
  });

  it("stays within 128 characters with a suffix", () => {
    const long = "a".repeat(200);
    expect(suggestName(long, [])).toHaveLength(128);
    const second = suggestName(long, ["a".repeat(128)]);
    expect(second).toHaveLength(128);
    expect(second.endsWith("-2")).toBe(true);
  });

  it("always returns a name that passes the rule", () => {
    for (const product of ["Ünïcode Thing", "--x--", "3D Viewer", ".hidden", "a.b_c"]) {
      expect(provisionedProductNameIssue(suggestName(product, []))).toBeNull();
    }
  });
});
