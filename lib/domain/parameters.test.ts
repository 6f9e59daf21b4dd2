import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  NO_ECHO_MASK,
  compileAllowedPattern,
  describeField,
  diffParameters,
  groupFields,
  humanizeKey,
  initialParameterValues,
  isListType,
  maskNoEcho,
  parameterChanges,
  templateMetadataFromTemplate,
  toProvisioningParameters,
  toUpdateParameters,
  type ProvisioningParameter,
  type TemplateMetadata,
} from "./parameters";
import { buildParameterSchema } from "./parameter-schema";

function param(key: string, over: Partial<ProvisioningParameter> = {}): ProvisioningParameter {
  return { key, type: "String", noEcho: false, constraints: {}, ...over };
}

const instanceType = param("EC2InstanceType", {
  defaultValue: "t3.micro",
  description: "Size of the instance",
  constraints: { allowedValues: ["t3.micro", "t3.small", "t3.large"], constraintDescription: "must be a listed EC2 instance type." },
});
const volumeSize = param("VolumeSize", { type: "Number", defaultValue: "20", constraints: { minValue: 8, maxValue: 1024 } });
const userArns = param("S3UserARNs", { type: "CommaDelimitedList", defaultValue: "", description: "IAM users or roles to share the bucket with" });
const dbPassword = param("DBPassword", { noEcho: true, constraints: { minLength: 8, maxLength: 41, allowedPattern: "[a-zA-Z0-9]*" } });
const keyName = param("KeyName", { type: "AWS::EC2::KeyPair::KeyName" });
const subnets = param("SubnetIds", { type: "List<AWS::EC2::Subnet::Id>" });
const ports = param("Ports", { type: "List<Number>", constraints: { minValue: 1, maxValue: 65535 } });
const envName = param("EnvName", { constraints: { allowedPattern: "[a-z]+", constraintDescription: "lower-case letters only" } });
const notes = param("Notes");

const metadata: TemplateMetadata = {
  labels: { EC2InstanceType: "Instance size", VolumeSize: "Disk size (GiB)" },
  groups: [
    { label: "Compute", parameters: ["EC2InstanceType", "KeyName"] },
    { label: "Storage", parameters: ["VolumeSize", "Missing"] },
  ],
};

function issues(schema: z.ZodType, value: unknown): [string, string][] {
  const r = schema.safeParse(value);
  return (r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]);
}

describe("humanizeKey", () => {
  it.each([
    ["EC2InstanceType", "EC2 Instance Type"],
    ["S3UserARNs", "S3 User ARNs"],
    ["KeyName", "Key Name"],
    ["DBInstanceClass", "DB Instance Class"],
    ["SSHLocation", "SSH Location"],
    ["instanceType", "Instance Type"],
    ["VpcId", "Vpc Id"],
    ["SubnetIDs", "Subnet IDs"],
    ["db_instance-class", "Db Instance Class"],
    ["Az1Subnet", "Az1 Subnet"],
    ["Port8080", "Port8080"],
    ["X", "X"],
  ])("%s -> %s", (key, label) => {
    expect(humanizeKey(key)).toBe(label);
  });
});

describe("isListType", () => {
  it("knows list types", () => {
    expect(isListType("CommaDelimitedList")).toBe(true);
    expect(isListType("List<Number>")).toBe(true);
    expect(isListType("List<AWS::EC2::Subnet::Id>")).toBe(true);
    expect(isListType("String")).toBe(false);
    expect(isListType("AWS::SSM::Parameter::Value<List<String>>")).toBe(false);
  });
});

describe("describeField", () => {
  it("makes a select from AllowedValues, with the template label and help", () => {
    expect(describeField(instanceType, metadata)).toEqual({
      key: "EC2InstanceType",
      label: "Instance size",
      kind: "select",
      type: "String",
      required: false,
      allowsEmpty: false,
      noEcho: false,
      defaultValue: "t3.micro",
      options: ["t3.micro", "t3.small", "t3.large"],
      help: "Size of the instance",
      constraintHelp: "must be a listed EC2 instance type.",
      isArnList: false,
    });
  });

  it("humanises the key when the template has no label", () => {
    expect(describeField(instanceType).label).toBe("EC2 Instance Type");
    expect(describeField(instanceType, { labels: { EC2InstanceType: "  " }, groups: [] }).label).toBe("EC2 Instance Type");
  });

  it("makes a number field with min and max", () => {
    const f = describeField(volumeSize);
    expect(f).toMatchObject({ kind: "number", min: 8, max: 1024, required: false, allowsEmpty: false, defaultValue: "20" });
  });

  it("makes a password field for NoEcho, with lengths and pattern", () => {
    const f = describeField(dbPassword);
    expect(f).toMatchObject({ kind: "password", noEcho: true, minLength: 8, maxLength: 41, pattern: "[a-zA-Z0-9]*", required: true });
  });

  it("prefers password over select for a NoEcho parameter with AllowedValues", () => {
    expect(describeField(param("Secret", { noEcho: true, constraints: { allowedValues: ["a", "b"] } })).kind).toBe("password");
  });

  it("makes a list editor for CommaDelimitedList, split default", () => {
    const f = describeField(param("Names", { type: "CommaDelimitedList", defaultValue: "a, b,,c" }));
    expect(f).toMatchObject({ kind: "list", itemKind: "text", defaultValue: ["a", "b", "c"], allowsEmpty: true, required: false, isArnList: false });
  });

  it("marks List<Number> items as numbers", () => {
    expect(describeField(ports)).toMatchObject({ kind: "list", itemKind: "number", required: true, min: 1, max: 65535 });
  });

  it("recognises ARN lists by key and checks principals when they are for sharing", () => {
    expect(describeField(userArns)).toMatchObject({ kind: "list", isArnList: true, arnKind: "principal", label: "S3 User ARNs" });
    expect(describeField(param("ReaderArns", { type: "CommaDelimitedList" }))).toMatchObject({ isArnList: true, arnKind: "any" });
  });

  it("recognises ARN lists by description", () => {
    const f = describeField(param("Readers", { type: "CommaDelimitedList", description: "ARNs of roles allowed to read" }));
    expect(f).toMatchObject({ isArnList: true, arnKind: "principal" });
  });

  it("does not call a single string an ARN list", () => {
    expect(describeField(param("RoleARNs")).isArnList).toBe(false);
  });

  it("uses a text field otherwise, empty default", () => {
    expect(describeField(notes)).toMatchObject({ kind: "text", defaultValue: "", required: false, allowsEmpty: true });
  });

  describe("required", () => {
    it("is false for a String without Default and without constraints: CloudFormation accepts an empty string", () => {
      expect(describeField(notes).required).toBe(false);
    });

    it("is true without Default when MinLength > 0", () => {
      expect(describeField(param("P", { constraints: { minLength: 1 } })).required).toBe(true);
    });

    it("is true without Default when AllowedValues leaves out the empty string", () => {
      expect(describeField(param("P", { constraints: { allowedValues: ["a"] } })).required).toBe(true);
      expect(describeField(param("P", { constraints: { allowedValues: ["", "a"] } })).required).toBe(false);
    });

    it("is true without Default when the pattern does not match an empty value", () => {
      expect(describeField(envName).required).toBe(true);
      expect(describeField(param("P", { constraints: { allowedPattern: "[a-z]*" } })).required).toBe(false);
    });

    it("is true for Number and AWS-specific types without Default", () => {
      expect(describeField(param("N", { type: "Number" })).required).toBe(true);
      expect(describeField(keyName).required).toBe(true);
      expect(describeField(subnets).required).toBe(true);
      expect(describeField(param("Ami", { type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>" })).required).toBe(true);
    });

    it("is false whenever there is a Default, even an empty one", () => {
      expect(describeField(param("P", { defaultValue: "", constraints: { minLength: 3 } }))).toMatchObject({ required: false, allowsEmpty: false });
    });
  });
});

describe("groupFields", () => {
  const params = [notes, volumeSize, instanceType, keyName, dbPassword];
  const fields = params.map((p) => describeField(p, metadata));

  it("puts template groups first, in the template's order, then Other parameters", () => {
    const groups = groupFields(fields, metadata);
    expect(groups.map((g) => [g.label, g.fields.map((f) => f.key)])).toEqual([
      ["Compute", ["EC2InstanceType", "KeyName"]],
      ["Storage", ["VolumeSize"]],
      ["Other parameters", ["Notes", "DBPassword"]],
    ]);
  });

  it("uses one Parameters group without template groups", () => {
    expect(groupFields(fields).map((g) => [g.label, g.fields.length])).toEqual([["Parameters", 5]]);
  });

  it("places a parameter listed twice in its first group and drops empty groups", () => {
    const groups = groupFields(fields, {
      labels: {},
      groups: [
        { label: "A", parameters: ["Notes"] },
        { label: "B", parameters: ["Notes", "Nope"] },
      ],
    });
    expect(groups.map((g) => g.label)).toEqual(["A", "Other parameters"]);
  });

  it("leaves out Other parameters when every field is grouped", () => {
    const groups = groupFields([describeField(notes)], { labels: {}, groups: [{ label: "All", parameters: ["Notes"] }] });
    expect(groups.map((g) => g.label)).toEqual(["All"]);
  });
});

describe("compileAllowedPattern", () => {
  it("anchors the pattern: CloudFormation matches the whole value", () => {
    const re = compileAllowedPattern("[a-z]+");
    expect(re?.test("abc")).toBe(true);
    expect(re?.test("abc1")).toBe(false);
    expect(re?.test("1abc")).toBe(false);
  });

  it("anchors alternations as a whole", () => {
    const re = compileAllowedPattern("dev|prod");
    expect(re?.test("prod")).toBe(true);
    expect(re?.test("devx")).toBe(false);
    expect(re?.test("xprod")).toBe(false);
  });

  it("supports Unicode classes", () => {
    expect(compileAllowedPattern("\\p{L}+")?.test("Éa")).toBe(true);
  });

  it("gives null for a pattern JavaScript cannot compile", () => {
    expect(compileAllowedPattern("[a-z")).toBeNull();
    expect(compileAllowedPattern("a++")).toBeNull();
  });
});

describe("buildParameterSchema", () => {
  const all = [instanceType, volumeSize, userArns, dbPassword, keyName, subnets, ports, envName, notes];
  const schema = buildParameterSchema(all, { metadata });
  const valid = {
    EC2InstanceType: "t3.small",
    VolumeSize: "100",
    S3UserARNs: ["arn:aws:iam::123456789012:user/alice"],
    DBPassword: "secret123",
    KeyName: "my-key",
    SubnetIds: ["subnet-1", "subnet-2"],
    Ports: ["22", "443"],
    EnvName: "dev",
    Notes: "",
  };

  it("accepts valid values and returns them", () => {
    expect(schema.parse(valid)).toEqual(valid);
  });

  it("drops keys the product does not declare", () => {
    expect(schema.parse({ ...valid, Sneaky: "x" })).not.toHaveProperty("Sneaky");
  });

  it("trims list items", () => {
    expect(schema.parse({ ...valid, SubnetIds: [" subnet-1 "] }).SubnetIds).toEqual(["subnet-1"]);
  });

  it("accepts a list sent as a comma-separated string", () => {
    expect(schema.parse({ ...valid, SubnetIds: "subnet-1, subnet-2" }).SubnetIds).toEqual(["subnet-1", "subnet-2"]);
  });

  it("accepts a number sent as a JSON number", () => {
    expect(schema.parse({ ...valid, VolumeSize: 50 }).VolumeSize).toBe("50");
  });

  it("leaves out a missing key that has a Default (AWS applies it)", () => {
    const { EC2InstanceType: _omit, ...rest } = valid;
    expect(schema.parse(rest)).not.toHaveProperty("EC2InstanceType");
  });

  it("refuses a missing key that is required", () => {
    const { KeyName: _omit, ...rest } = valid;
    expect(issues(schema, rest)).toEqual([["KeyName", "Key Name is required"]]);
  });

  it("refuses a value outside AllowedValues with the ConstraintDescription", () => {
    expect(issues(schema, { ...valid, EC2InstanceType: "m5.24xlarge" })).toEqual([
      ["EC2InstanceType", "Instance size: must be a listed EC2 instance type."],
    ]);
  });

  it("lists the allowed values when there is no ConstraintDescription", () => {
    const s = buildParameterSchema([param("Tier", { constraints: { allowedValues: ["gold", "silver"] } })]);
    expect(issues(s, { Tier: "bronze" })).toEqual([["Tier", "Tier must be one of: gold, silver"]]);
  });

  it("says a select is required rather than listing choices when left empty", () => {
    const s = buildParameterSchema([param("Tier", { constraints: { allowedValues: ["gold", "silver"] } })]);
    expect(issues(s, { Tier: "" })).toEqual([["Tier", "Tier is required"]]);
  });

  it("accepts an empty value when it is one of AllowedValues", () => {
    const s = buildParameterSchema([param("Tier", { constraints: { allowedValues: ["", "gold"] } })]);
    expect(s.safeParse({ Tier: "" }).success).toBe(true);
  });

  describe("Number", () => {
    const s = buildParameterSchema([volumeSize]);
    it.each(["8", "1024", "8.5", "+10", "010"])("accepts %s", (v) => {
      expect(s.safeParse({ VolumeSize: v }).success).toBe(true);
    });
    it.each(["abc", "1e3", "0x10", "Infinity", "NaN", "1,000", " ", "12abc"])("refuses %j as not a number", (v) => {
      const found = issues(s, { VolumeSize: v });
      expect(found).toEqual([["VolumeSize", v.trim() === "" ? "Volume Size is required" : "Volume Size must be a number"]]);
    });
    it("refuses values outside MinValue/MaxValue, naming both bounds", () => {
      expect(issues(s, { VolumeSize: "7" })).toEqual([["VolumeSize", "Volume Size must be between 8 and 1024"]]);
      expect(issues(s, { VolumeSize: "1025" })).toEqual([["VolumeSize", "Volume Size must be between 8 and 1024"]]);
    });
    it("names a single bound", () => {
      const only = buildParameterSchema([param("N", { type: "Number", constraints: { minValue: 1 } })]);
      expect(issues(only, { N: "0" })).toEqual([["N", "N must be at least 1"]]);
      const max = buildParameterSchema([param("N", { type: "Number", constraints: { maxValue: 5 } })]);
      expect(issues(max, { N: "6" })).toEqual([["N", "N must be at most 5"]]);
    });
    it("trims spaces around a number", () => {
      expect(s.parse({ VolumeSize: " 12 " })).toEqual({ VolumeSize: "12" });
    });
    it("accepts negative numbers when allowed", () => {
      expect(buildParameterSchema([param("N", { type: "Number" })]).safeParse({ N: "-1.5" }).success).toBe(true);
    });
    it("uses the ConstraintDescription for range errors", () => {
      const cd = buildParameterSchema([param("N", { type: "Number", constraints: { maxValue: 5, constraintDescription: "pick 5 or fewer" } })]);
      expect(issues(cd, { N: "9" })).toEqual([["N", "N: pick 5 or fewer"]]);
    });
  });

  describe("String lengths and patterns", () => {
    const s = buildParameterSchema([dbPassword]);
    it("refuses too short and too long with the rule", () => {
      expect(issues(s, { DBPassword: "short" })).toEqual([["DBPassword", "DB Password must be at least 8 characters long"]]);
      expect(issues(s, { DBPassword: "a".repeat(42) })).toEqual([["DBPassword", "DB Password must be at most 41 characters long"]]);
    });
    it("refuses a value not matching the whole pattern", () => {
      expect(issues(s, { DBPassword: "abcdefgh!" })).toEqual([
        ["DBPassword", "DB Password is not in the expected format (it must match [a-zA-Z0-9]*)"],
      ]);
    });
    it("uses the ConstraintDescription for pattern errors", () => {
      const e = buildParameterSchema([envName]);
      expect(issues(e, { EnvName: "Dev" })).toEqual([["EnvName", "Env Name: lower-case letters only"]]);
      expect(issues(e, { EnvName: "" })).toEqual([["EnvName", "Env Name is required"]]);
    });
    it("does not block the form on a pattern JavaScript cannot compile", () => {
      const odd = buildParameterSchema([param("Odd", { constraints: { allowedPattern: "[a-z" } })]);
      expect(odd.safeParse({ Odd: "anything" }).success).toBe(true);
    });
    it("does not trim single values (a password may contain spaces)", () => {
      const p = buildParameterSchema([param("Phrase", { noEcho: true })]);
      expect(p.parse({ Phrase: " a b " }).Phrase).toBe(" a b ");
    });
    it("counts characters, not UTF-16 units", () => {
      const p = buildParameterSchema([param("P", { constraints: { maxLength: 2 } })]);
      expect(p.safeParse({ P: "😀😀" }).success).toBe(true);
    });
  });

  describe("lists", () => {
    it("refuses an empty required list", () => {
      expect(issues(buildParameterSchema([subnets]), { SubnetIds: [] })).toEqual([["SubnetIds", "Subnet Ids needs at least one value"]]);
    });
    it("accepts an empty optional list", () => {
      expect(buildParameterSchema([userArns]).parse({ S3UserARNs: [] })).toEqual({ S3UserARNs: [] });
    });
    it("refuses empty items, commas inside items and repeats, per item", () => {
      const s = buildParameterSchema([param("Names", { type: "CommaDelimitedList" })]);
      expect(issues(s, { Names: ["a", " ", "b,c", "a"] })).toEqual([
        ["Names.1", "Names, item 2 is empty: fill it in or remove it"],
        ["Names.2", "Names, item 3 contains a comma: enter each value as its own item"],
        ["Names.3", "Names, item 4 repeats item 1"],
      ]);
    });
    it("applies AllowedValues to each item", () => {
      const s = buildParameterSchema([param("Zones", { type: "CommaDelimitedList", constraints: { allowedValues: ["a", "b"] } })]);
      expect(issues(s, { Zones: ["a", "c"] })).toEqual([["Zones.1", "Zones, item 2 must be one of: a, b"]]);
    });
    it("applies AllowedPattern to each item", () => {
      const s = buildParameterSchema([param("Tags", { type: "CommaDelimitedList", constraints: { allowedPattern: "[a-z]+" } })]);
      expect(issues(s, { Tags: ["ok", "NO"] })).toEqual([["Tags.1", "Tags, item 2 is not in the expected format (it must match [a-z]+)"]]);
    });
    it("checks List<Number> items as numbers with the range", () => {
      expect(issues(buildParameterSchema([ports]), { Ports: ["22", "http", "70000"] })).toEqual([
        ["Ports.1", "Ports, item 2 must be a number"],
        ["Ports.2", "Ports, item 3 must be between 1 and 65535"],
      ]);
    });
    it("checks principal ARNs in an ARNs list and explains a bucket ARN", () => {
      const found = issues(buildParameterSchema([userArns]), {
        S3UserARNs: ["arn:aws:iam::123456789012:role/Reader", "arn:aws:s3:::other-bucket", "bob"],
      });
      expect(found).toEqual([
        [
          "S3UserARNs.1",
          'S3 User ARNs, item 2: "arn:aws:s3:::other-bucket" cannot be given access: an S3 bucket ARN is not a principal; enter the ARN of an IAM user or role',
        ],
        ["S3UserARNs.2", 'S3 User ARNs, item 3: "bob" is not a valid ARN: an ARN starts with "arn:"'],
      ]);
    });
    it("checks any ARN in an ARN list that is not about access", () => {
      const s = buildParameterSchema([param("KmsKeyArns", { type: "CommaDelimitedList" })]);
      expect(s.safeParse({ KmsKeyArns: ["arn:aws:kms:us-east-1:123456789012:key/abc"] }).success).toBe(true);
      expect(issues(s, { KmsKeyArns: ["arn:aws:kms:us-east-1:1:key/abc"] })).toEqual([
        ["KmsKeyArns.0", 'Kms Key Arns, item 1: "arn:aws:kms:us-east-1:1:key/abc" is not a valid ARN: the account "1" must be 12 digits'],
      ]);
    });
  });

  it("reports every bad field at once, at its key", () => {
    const found = issues(schema, { ...valid, VolumeSize: "x", EnvName: "X", KeyName: "" });
    expect(found.map(([path]) => path)).toEqual(["VolumeSize", "KeyName", "EnvName"]);
  });

  it("prefixes paths when nested in a request body", () => {
    const body = z.object({ parameters: buildParameterSchema([volumeSize]) });
    expect(issues(body, { parameters: { VolumeSize: "1" } })).toEqual([["parameters.VolumeSize", "Volume Size must be between 8 and 1024"]]);
  });

  it("refuses values of the wrong shape", () => {
    expect(buildParameterSchema([notes]).safeParse({ Notes: ["a"] }).success).toBe(false);
    expect(buildParameterSchema([userArns]).safeParse({ S3UserARNs: [1] }).success).toBe(false);
  });

  describe("update mode", () => {
    it("accepts a blank or masked NoEcho value, which keeps the current secret", () => {
      const s = buildParameterSchema([dbPassword], { mode: "update" });
      expect(s.safeParse({ DBPassword: "" }).success).toBe(true);
      expect(s.safeParse({ DBPassword: NO_ECHO_MASK }).success).toBe(true);
      expect(issues(s, { DBPassword: "short" })).toEqual([["DBPassword", "DB Password must be at least 8 characters long"]]);
    });
    it("still requires a blank NoEcho value at launch", () => {
      expect(issues(buildParameterSchema([dbPassword]), { DBPassword: "" })).toEqual([["DBPassword", "DB Password is required"]]);
    });
  });
});

describe("initialParameterValues", () => {
  it("starts from the defaults, lists split", () => {
    expect(initialParameterValues([instanceType, notes, param("L", { type: "CommaDelimitedList", defaultValue: "a,b" })])).toEqual({
      EC2InstanceType: "t3.micro",
      Notes: "",
      L: ["a", "b"],
    });
  });

  it("pre-fills current values for an update, NoEcho blank", () => {
    const current = { EC2InstanceType: "t3.large", DBPassword: NO_ECHO_MASK, S3UserARNs: "arn:aws:iam::123456789012:root" };
    expect(initialParameterValues([instanceType, dbPassword, userArns, volumeSize], current)).toEqual({
      EC2InstanceType: "t3.large",
      DBPassword: "",
      S3UserARNs: ["arn:aws:iam::123456789012:root"],
      VolumeSize: "20",
    });
  });
});

describe("toProvisioningParameters", () => {
  it("joins lists with commas, keeps the product's order and leaves out unset keys", () => {
    expect(
      toProvisioningParameters({ S3UserARNs: ["arn:a", "arn:b"], EC2InstanceType: "t3.small", Extra: "x" }, [instanceType, volumeSize, userArns]),
    ).toEqual([
      { key: "EC2InstanceType", value: "t3.small" },
      { key: "S3UserARNs", value: "arn:a,arn:b" },
    ]);
  });

  it("sends an empty list as an empty string", () => {
    expect(toProvisioningParameters({ S3UserARNs: [] }, [userArns])).toEqual([{ key: "S3UserARNs", value: "" }]);
  });
});

describe("updates", () => {
  const params = [instanceType, volumeSize, userArns, dbPassword];
  const current = { EC2InstanceType: "t3.micro", VolumeSize: "20", S3UserARNs: ["arn:a"], DBPassword: NO_ECHO_MASK };

  it("finds the changed keys", () => {
    expect(diffParameters(current, { ...current, EC2InstanceType: "t3.large", DBPassword: "" }, params)).toEqual(["EC2InstanceType"]);
  });

  it("treats lists with the same items as unchanged, whether stored as array or string", () => {
    expect(diffParameters({ ...current, S3UserARNs: "arn:a" }, { ...current, S3UserARNs: [" arn:a "] }, params)).toEqual([]);
    expect(diffParameters(current, { ...current, S3UserARNs: ["arn:a", "arn:b"] }, params)).toEqual(["S3UserARNs"]);
  });

  it("counts a newly typed secret as a change, but never shows it", () => {
    const next = { ...current, DBPassword: "newsecret1" };
    expect(diffParameters(current, next, params)).toEqual(["DBPassword"]);
    expect(parameterChanges(current, next, params)).toEqual([{ key: "DBPassword", label: "DB Password", before: NO_ECHO_MASK, after: NO_ECHO_MASK }]);
  });

  it("describes changes with labels and before/after", () => {
    expect(parameterChanges(current, { ...current, VolumeSize: "40" }, params, metadata)).toEqual([
      { key: "VolumeSize", label: "Disk size (GiB)", before: "20", after: "40" },
    ]);
  });

  it("builds UpdateProvisionedProduct parameters with UsePreviousValue for the rest", () => {
    expect(toUpdateParameters(current, { ...current, EC2InstanceType: "t3.large", DBPassword: "" }, params)).toEqual([
      { key: "EC2InstanceType", value: "t3.large" },
      { key: "VolumeSize", usePrevious: true },
      { key: "S3UserARNs", usePrevious: true },
      { key: "DBPassword", usePrevious: true },
    ]);
  });

  it("sends a parameter new in this version with its value, before = null", () => {
    const newParam = param("Encryption", { defaultValue: "AES256" });
    const next = { ...current, Encryption: "aws:kms" };
    expect(parameterChanges(current, next, [...params, newParam]).at(-1)).toEqual({ key: "Encryption", label: "Encryption", before: null, after: "aws:kms" });
    expect(toUpdateParameters(current, next, [...params, newParam]).at(-1)).toEqual({ key: "Encryption", value: "aws:kms" });
  });

  it("leaves out a new parameter without a value, and a new NoEcho one left blank, so the Default applies", () => {
    const extra = [param("Encryption", { defaultValue: "AES256" }), param("ApiKey", { noEcho: true, defaultValue: "x" })];
    const out = toUpdateParameters(current, { ...current, ApiKey: "" }, [...params, ...extra]);
    expect(out.map((p) => p.key)).toEqual(["EC2InstanceType", "VolumeSize", "S3UserARNs", "DBPassword"]);
  });

  it("keeps a parameter the form did not send", () => {
    expect(toUpdateParameters(current, {}, [instanceType])).toEqual([{ key: "EC2InstanceType", usePrevious: true }]);
  });

  it("does not send parameters the new version dropped", () => {
    expect(toUpdateParameters(current, current, [instanceType]).map((p) => p.key)).toEqual(["EC2InstanceType"]);
  });
});

describe("a NoEcho parameter with a Default (AWS sends it masked)", () => {
  const jupyter = param("JupyterPassword", { noEcho: true, defaultValue: "****", constraints: { maxLength: 64, allowedPattern: "^$|^[!-~]{12,64}$" } });
  const secretWithRealDefault = param("ApiKey", { noEcho: true, defaultValue: "****", constraints: { minLength: 12 } });

  it("never starts the form with the mask", () => {
    expect(describeField(jupyter)).toMatchObject({ kind: "password", defaultValue: "", required: false });
    expect(initialParameterValues([jupyter])).toEqual({ JupyterPassword: "" });
  });

  it("at launch, blank means the Default: accepted, left out of the request and of what is stored", () => {
    const schema = buildParameterSchema([secretWithRealDefault]);
    expect(schema.safeParse({ ApiKey: "" }).success).toBe(true);
    expect(toProvisioningParameters({ ApiKey: "" }, [secretWithRealDefault])).toEqual([]);
    expect(maskNoEcho({ ApiKey: "" }, [secretWithRealDefault])).toEqual({});
  });

  it("a value given is checked, sent and stored masked", () => {
    expect(issues(buildParameterSchema([secretWithRealDefault]), { ApiKey: "short" })).toEqual([["ApiKey", "Api Key must be at least 12 characters long"]]);
    expect(toProvisioningParameters({ ApiKey: "a-long-enough-key" }, [secretWithRealDefault])).toEqual([{ key: "ApiKey", value: "a-long-enough-key" }]);
    expect(maskNoEcho({ ApiKey: "a-long-enough-key" }, [secretWithRealDefault])).toEqual({ ApiKey: "****" });
  });
});

describe("maskNoEcho", () => {
  it("in an update, keeps the stored mark of a secret left blank, and adds none where there was none", () => {
    const secret = param("ApiKey", { noEcho: true, defaultValue: "****" });
    expect(maskNoEcho({ ApiKey: "" }, [secret], { ApiKey: "****" })).toEqual({ ApiKey: "****" });
    expect(maskNoEcho({ ApiKey: "****" }, [secret], { ApiKey: "****" })).toEqual({ ApiKey: "****" });
    expect(maskNoEcho({ ApiKey: "" }, [secret], {})).toEqual({});
    expect(maskNoEcho({ ApiKey: "new-value" }, [secret], {})).toEqual({ ApiKey: "****" });
  });

  it('replaces NoEcho values with "****" and drops undeclared keys', () => {
    expect(maskNoEcho({ EC2InstanceType: "t3.micro", DBPassword: "hunter22", Unknown: "secret?" }, [instanceType, dbPassword])).toEqual({
      EC2InstanceType: "t3.micro",
      DBPassword: NO_ECHO_MASK,
    });
  });

  it("masks NoEcho lists too and copies other lists", () => {
    const input = { S3UserARNs: ["arn:a"], Keys: ["k1"] };
    const out = maskNoEcho(input, [userArns, param("Keys", { type: "CommaDelimitedList", noEcho: true })]);
    expect(out).toEqual({ S3UserARNs: ["arn:a"], Keys: NO_ECHO_MASK });
    expect(out.S3UserARNs).not.toBe(input.S3UserARNs);
  });
});

describe("templateMetadataFromTemplate", () => {
  it("reads AWS::CloudFormation::Interface labels and groups", () => {
    expect(
      templateMetadataFromTemplate({
        "AWS::CloudFormation::Interface": {
          ParameterGroups: [{ Label: { default: "Network" }, Parameters: ["VpcId", 3] }, { Parameters: ["X"] }],
          ParameterLabels: { VpcId: { default: "VPC" }, Bad: "nope", Empty: { default: "" } },
        },
      }),
    ).toEqual({
      labels: { VpcId: "VPC" },
      groups: [
        { label: "Network", parameters: ["VpcId"] },
        { label: "Parameters", parameters: ["X"] },
      ],
    });
  });

  it("gives empty metadata for anything else", () => {
    expect(templateMetadataFromTemplate(undefined)).toEqual({ labels: {}, groups: [] });
    expect(templateMetadataFromTemplate({ Other: 1 })).toEqual({ labels: {}, groups: [] });
    expect(templateMetadataFromTemplate("x")).toEqual({ labels: {}, groups: [] });
  });
});
