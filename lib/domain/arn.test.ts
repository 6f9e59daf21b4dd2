import { describe, expect, it } from "vitest";
import { checkPrincipalArn, parseArn } from "./arn";
import { arnSchema, principalArnSchema } from "./arn-schema";

const ACCT = "123456789012";

describe("parseArn", () => {
  it("splits a regional ARN", () => {
    expect(parseArn(`arn:aws:ec2:us-east-1:${ACCT}:instance/i-0abc`)).toEqual({
      ok: true,
      arn: { partition: "aws", service: "ec2", region: "us-east-1", account: ACCT, resource: "instance/i-0abc" },
    });
  });

  it("accepts an S3 bucket ARN without region or account", () => {
    expect(parseArn("arn:aws:s3:::my-bucket")).toEqual({
      ok: true,
      arn: { partition: "aws", service: "s3", region: "", account: "", resource: "my-bucket" },
    });
  });

  it("keeps colons inside the resource", () => {
    const r = parseArn(`arn:aws:logs:eu-west-1:${ACCT}:log-group:/aws/lambda/x:*`);
    expect(r.ok && r.arn.resource).toBe("log-group:/aws/lambda/x:*");
  });

  it.each([
    ["aws-cn", "cn-north-1"],
    ["aws-us-gov", "us-gov-west-1"],
  ])("accepts the %s partition", (partition, region) => {
    expect(parseArn(`arn:${partition}:sqs:${region}:${ACCT}:queue`).ok).toBe(true);
  });

  it("ignores surrounding spaces", () => {
    expect(parseArn(`  arn:aws:iam::${ACCT}:root \n`).ok).toBe(true);
  });

  it.each([
    ["", "it is empty"],
    ["my-bucket", 'an ARN starts with "arn:"'],
    ["ARN:aws:s3:::b", 'an ARN starts with "arn:"'],
    ["arn:aws:s3", "an ARN has six parts separated by colons: arn:partition:service:region:account:resource"],
    ["arn:aws-iso:s3:::b", 'the partition "aws-iso" is not one of aws, aws-cn, aws-us-gov'],
    ["arn:aws::us-east-1:123456789012:x", "the service part is missing"],
    ["arn:aws:S3:::b", 'the service "S3" is not an AWS service name'],
    ["arn:aws:ec2:useast1:123456789012:x", 'the region "useast1" is not an AWS region such as us-east-1'],
    ["arn:aws:iam::12345:root", 'the account "12345" must be 12 digits'],
    ["arn:aws:iam::1234567890123:root", 'the account "1234567890123" must be 12 digits'],
    ["arn:aws:iam::12345678901a:root", 'the account "12345678901a" must be 12 digits'],
    ["arn:aws:iam::123456789012:", "the resource part is missing"],
  ])("refuses %j: %s", (input, reason) => {
    expect(parseArn(input)).toEqual({ ok: false, reason });
  });
});

describe("checkPrincipalArn: accepted principals", () => {
  it("accepts an IAM user", () => {
    expect(checkPrincipalArn(`arn:aws:iam::${ACCT}:user/alice`)).toEqual({
      ok: true,
      principal: { kind: "user", partition: "aws", account: ACCT, path: "/", name: "alice" },
    });
  });

  it("accepts an IAM user with a path", () => {
    const r = checkPrincipalArn(`arn:aws:iam::${ACCT}:user/division/lab/bob.smith@example.org`);
    expect(r).toEqual({
      ok: true,
      principal: { kind: "user", partition: "aws", account: ACCT, path: "/division/lab/", name: "bob.smith@example.org" },
    });
  });

  it("accepts an IAM role, with and without a path", () => {
    expect(checkPrincipalArn(`arn:aws:iam::${ACCT}:role/DataReader`).ok).toBe(true);
    const r = checkPrincipalArn(`arn:aws:iam::${ACCT}:role/service-role/my_role+1`);
    expect(r.ok && r.principal).toEqual({ kind: "role", partition: "aws", account: ACCT, path: "/service-role/", name: "my_role+1" });
  });

  it("accepts an account root", () => {
    expect(checkPrincipalArn(`arn:aws:iam::${ACCT}:root`)).toEqual({
      ok: true,
      principal: { kind: "root", partition: "aws", account: ACCT },
    });
  });

  it("accepts an STS assumed-role session", () => {
    expect(checkPrincipalArn(`arn:aws:sts::${ACCT}:assumed-role/ServiceCatalogEndusers/alice@example.org`)).toEqual({
      ok: true,
      principal: { kind: "assumed-role", partition: "aws", account: ACCT, roleName: "ServiceCatalogEndusers", sessionName: "alice@example.org" },
    });
  });

  it("accepts principals in GovCloud", () => {
    expect(checkPrincipalArn(`arn:aws-us-gov:iam::${ACCT}:role/R`).ok).toBe(true);
  });
});

describe("checkPrincipalArn: refusals say why", () => {
  function reasonFor(input: string): string | undefined {
    const r = checkPrincipalArn(input);
    return r.ok ? undefined : r.reason;
  }

  it.each([
    ["arn:aws:s3:::my-bucket", "an S3 bucket ARN is not a principal"],
    ["arn:aws:s3:::my-bucket/data/*", "an S3 object ARN is not a principal"],
    [`arn:aws:ec2:us-east-1:${ACCT}:instance/i-1`, "an EC2 ARN is not a principal"],
    [`arn:aws:kms:us-east-1:${ACCT}:key/abc`, "a KMS ARN is not a principal"],
    [`arn:aws:servicecatalog:us-east-1:${ACCT}:product/prod-1`, "a Service Catalog ARN is not a principal"],
    [`arn:aws:lambda:us-east-1:${ACCT}:function:f`, "a Lambda ARN is not a principal"],
    [`arn:aws:foo:us-east-1:${ACCT}:x`, "a foo ARN is not a principal"],
    [`arn:aws:iam::${ACCT}:group/Researchers`, "an IAM group cannot be given access: give the ARN of a user or role in it"],
    [`arn:aws:iam::${ACCT}:policy/ReadOnly`, "an IAM policy ARN is not a principal"],
    [`arn:aws:iam::${ACCT}:instance-profile/web`, "an instance profile is not a principal: give the ARN of its role"],
    [`arn:aws:iam::${ACCT}:mfa/alice`, "an IAM mfa ARN is not a principal"],
    [`arn:aws:iam::${ACCT}:user/*`, 'wildcards ("*") are not allowed: name one user or role'],
    [`arn:aws:iam::${ACCT}:role/Data*`, 'wildcards ("*") are not allowed: name one user or role'],
    [`arn:aws:iam:us-east-1:${ACCT}:user/alice`, "IAM ARNs have no region (arn:aws:iam::<account>:...)"],
    ["arn:aws:iam:::user/alice", "the 12-digit account number is missing"],
    [`arn:aws:iam::${ACCT}:user`, "the user name is missing (user/<name>)"],
    [`arn:aws:iam::${ACCT}:role/`, "the role name is missing"],
    [`arn:aws:iam::${ACCT}:user/al ice`, 'the user name "al ice" is not valid: IAM names use letters, digits and + = , . @ _ -, up to 64 characters'],
    [`arn:aws:iam::${ACCT}:role/${"r".repeat(65)}`, `the role name "${"r".repeat(65)}" is not valid: IAM names use letters, digits and + = , . @ _ -, up to 64 characters`],
    [`arn:aws:sts::${ACCT}:federated-user/bob`, "only assumed-role session ARNs are accepted from STS"],
    [`arn:aws:sts::${ACCT}:assumed-role/RoleOnly`, "an assumed-role ARN has the form assumed-role/<role name>/<session name>"],
    [`arn:aws:sts::${ACCT}:assumed-role/R/s/extra`, "an assumed-role ARN has the form assumed-role/<role name>/<session name>"],
    [`arn:aws:sts::${ACCT}:assumed-role/R/x`, 'the session name "x" is not valid: session names use letters, digits and + = , . @ _ -, 2 to 64 characters'],
  ])("%s", (input, reason) => {
    expect(reasonFor(input)).toBe(reason);
  });

  it("builds a form message naming the input and suggesting what to enter", () => {
    const r = checkPrincipalArn("arn:aws:s3:::my-bucket");
    expect(!r.ok && r.message).toBe(
      '"arn:aws:s3:::my-bucket" cannot be given access: an S3 bucket ARN is not a principal; enter the ARN of an IAM user or role',
    );
  });

  it("says when the text is not an ARN at all", () => {
    const r = checkPrincipalArn("alice@example.org");
    expect(!r.ok && r.message).toBe('"alice@example.org" is not a valid ARN: an ARN starts with "arn:"');
  });

  it("shortens very long input in the message", () => {
    const r = checkPrincipalArn(`arn:aws:s3:::${"b".repeat(200)}`);
    expect(!r.ok && r.message.length).toBeLessThan(200);
  });
});

describe("principalArnSchema", () => {
  it("trims and accepts a role", () => {
    expect(principalArnSchema.parse(`  arn:aws:iam::${ACCT}:role/R  `)).toBe(`arn:aws:iam::${ACCT}:role/R`);
  });

  it("refuses with one message", () => {
    const issues = principalArnSchema.safeParse("arn:aws:s3:::b").error?.issues;
    expect(issues).toHaveLength(1);
    expect(issues?.[0]?.message).toMatch(/an S3 bucket ARN is not a principal/);
  });

  it("says an empty value is required", () => {
    expect(principalArnSchema.safeParse(" ").error?.issues[0]?.message).toBe("ARN is required");
  });
});

describe("arnSchema", () => {
  it("accepts any well-formed ARN, including buckets", () => {
    expect(arnSchema.safeParse("arn:aws:s3:::b").success).toBe(true);
  });

  it("refuses malformed ARNs with the reason", () => {
    expect(arnSchema.safeParse("arn:aws:iam::1:root").error?.issues[0]?.message).toBe(
      '"arn:aws:iam::1:root" is not a valid ARN: the account "1" must be 12 digits',
    );
  });
});
