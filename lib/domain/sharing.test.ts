import { describe, expect, it } from "vitest";
import { allowedAccountsFrom, checkSharedPrincipal, describePrincipal, entriesToAdd, maxSharedPrincipals, sharedListIssues, shareChanges, splitEntries } from "./sharing";
import { provisionRequestSchema } from "./provision-request";
import type { ProvisioningParameter } from "./parameters";

const OWN = "123456789012";
const PARTNER = "210987654321";
const OWNER = `arn:aws:sts::${OWN}:assumed-role/ServiceCatalogEndusers/alice@example.org`;
const rules = { allowedAccounts: [OWN, PARTNER], ownerPrincipalArn: OWNER };

// [entry, null when accepted | the message it gets]
const TABLE: [string, string | null][] = [
  [`arn:aws:iam::${OWN}:user/bob`, null],
  [`arn:aws:iam::${OWN}:role/Analyst`, null],
  [`arn:aws:iam::${OWN}:role/team/data/Analyst`, null],
  [`arn:aws:iam::${OWN}:user/division/carol.smith`, null],
  [`arn:aws:sts::${OWN}:assumed-role/ServiceCatalogEndusers/bob@example.org`, null],
  [`arn:aws:sts::${OWN}:assumed-role/Analyst/session-1`, null],
  [`arn:aws-cn:iam::${OWN}:role/Analyst`, null],
  [`arn:aws-us-gov:iam::${OWN}:user/bob`, null],
  [`arn:aws-us-gov:sts::${OWN}:assumed-role/Reader/job_42`, null],
  [`arn:aws:iam::${PARTNER}:role/Partner`, null],
  [`  arn:aws:iam::${OWN}:user/padded  `, null],
  [`arn:aws:iam::${OWN}:user/a+b=c,d.e@f-g_h`, null],
  ["", "The entry is empty: enter an ARN"],
  ["   ", "The entry is empty: enter an ARN"],
  ["bob", `"bob" is not a valid ARN: an ARN starts with "arn:"`],
  ["bob@example.org", `"bob@example.org" is not a valid ARN: an ARN starts with "arn:"`],
  ["arn:aws:iam", `"arn:aws:iam" is not a valid ARN: an ARN has six parts separated by colons: arn:partition:service:region:account:resource`],
  [`arn:aws-xx:iam::${OWN}:role/x`, `"arn:aws-xx:iam::${OWN}:role/x" is not a valid ARN: the partition "aws-xx" is not one of aws, aws-cn, aws-us-gov`],
  [`arn:aws-iso:iam::${OWN}:role/x`, `"arn:aws-iso:iam::${OWN}:role/x" is not a valid ARN: the partition "aws-iso" is not one of aws, aws-cn, aws-us-gov`],
  [`ARN:aws:iam::${OWN}:role/x`, `"ARN:aws:iam::${OWN}:role/x" is not a valid ARN: an ARN starts with "arn:"`],
  ["arn:aws:iam::12345:role/x", `"arn:aws:iam::12345:role/x" is not a valid ARN: the account "12345" must be 12 digits`],
  ["arn:aws:iam::1234567890123:role/x", `"arn:aws:iam::1234567890123:role/x" is not a valid ARN: the account "1234567890123" must be 12 digits`],
  ["arn:aws:iam::12345678901a:role/x", `"arn:aws:iam::12345678901a:role/x" is not a valid ARN: the account "12345678901a" must be 12 digits`],
  ["arn:aws:iam:::role/x", `"arn:aws:iam:::role/x" cannot be given access: the 12-digit account number is missing; enter the ARN of an IAM user or role`],
  [`arn:aws:iam:us-east-1:${OWN}:role/x`, `"arn:aws:iam:us-east-1:${OWN}:role/x" cannot be given access: IAM ARNs have no region (arn:aws:iam::<account>:...); enter the ARN of an IAM user or role`],
  ["*", `"*" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role`],
  [`arn:aws:iam::${OWN}:role/*`, `"arn:aws:iam::${OWN}:role/*" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role`],
  ["arn:aws:iam::*:root", `"arn:aws:iam::*:root" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role`],
  [`arn:*:iam::${OWN}:role/x`, `"arn:*:iam::${OWN}:role/x" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role`],
  [`arn:aws:sts::${OWN}:assumed-role/*/x`, `"arn:aws:sts::${OWN}:assumed-role/*/x" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role`],
  [`arn:aws:iam::${OWN}:user/bo?`, `"arn:aws:iam::${OWN}:user/bo?" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role`],
  [`arn:aws:iam::${OWN}:root`, `"arn:aws:iam::${OWN}:root" cannot be given access: it is the root of account ${OWN}, which would share with everyone in that account; enter the ARN of an IAM user or role`],
  ["arn:aws:s3:::someone-elses-bucket", `"arn:aws:s3:::someone-elses-bucket" cannot be given access: an S3 bucket ARN is not a principal; enter the ARN of an IAM user or role`],
  ["arn:aws:s3:::bucket/key.txt", `"arn:aws:s3:::bucket/key.txt" cannot be given access: an S3 object ARN is not a principal; enter the ARN of an IAM user or role`],
  [`arn:aws:kms:us-east-1:${OWN}:key/abc`, `"arn:aws:kms:us-east-1:${OWN}:key/abc" cannot be given access: a KMS ARN is not a principal; enter the ARN of an IAM user or role`],
  [`arn:aws:ec2:us-east-1:${OWN}:instance/i-123`, `"arn:aws:ec2:us-east-1:${OWN}:instance/i-123" cannot be given access: an EC2 ARN is not a principal; enter the ARN of an IAM user or role`],
  [`arn:aws:lambda:us-east-1:${OWN}:function:f`, `"arn:aws:lambda:us-east-1:${OWN}:function:f" cannot be given access: a Lambda ARN is not a principal; enter the ARN of an IAM user or role`],
  [`arn:aws:sns:us-east-1:${OWN}:topic`, `"arn:aws:sns:us-east-1:${OWN}:topic" cannot be given access: an SNS ARN is not a principal; enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:group/Researchers`, `"arn:aws:iam::${OWN}:group/Researchers" cannot be given access: an IAM group cannot be given access: give the ARN of a user or role in it; enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:policy/ReadOnly`, `"arn:aws:iam::${OWN}:policy/ReadOnly" cannot be given access: an IAM policy ARN is not a principal; enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:instance-profile/web`, `"arn:aws:iam::${OWN}:instance-profile/web" cannot be given access: an instance profile is not a principal: give the ARN of its role; enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:user`, `"arn:aws:iam::${OWN}:user" cannot be given access: the user name is missing (user/<name>); enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:role/`, `"arn:aws:iam::${OWN}:role/" cannot be given access: the role name is missing; enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:role/bad name`, `"arn:aws:iam::${OWN}:role/bad name" cannot be given access: the role name "bad name" is not valid: IAM names use letters, digits and + = , . @ _ -, up to 64 characters; enter the ARN of an IAM user or role`],
  [`arn:aws:iam::${OWN}:user/${"x".repeat(65)}`, `"${`arn:aws:iam::${OWN}:user/${"x".repeat(65)}`.slice(0, 77)}…" cannot be given access: the user name "${"x".repeat(65)}" is not valid: IAM names use letters, digits and + = , . @ _ -, up to 64 characters; enter the ARN of an IAM user or role`],
  [`arn:aws:sts::${OWN}:federated-user/bob`, `"arn:aws:sts::${OWN}:federated-user/bob" cannot be given access: only assumed-role session ARNs are accepted from STS; enter the ARN of an IAM user or role`],
  [`arn:aws:sts::${OWN}:assumed-role/Analyst`, `"arn:aws:sts::${OWN}:assumed-role/Analyst" cannot be given access: an assumed-role ARN has the form assumed-role/<role name>/<session name>; enter the ARN of an IAM user or role`],
  [`arn:aws:sts::${OWN}:assumed-role/Analyst/x`, `"arn:aws:sts::${OWN}:assumed-role/Analyst/x" cannot be given access: the session name "x" is not valid: session names use letters, digits and + = , . @ _ -, 2 to 64 characters; enter the ARN of an IAM user or role`],
  ["arn:aws:iam::999999999999:role/Outsider", `"arn:aws:iam::999999999999:role/Outsider" is in account 999999999999, which this portal does not share with (allowed: ${OWN}, ${PARTNER})`],
  ["arn:aws:sts::555555555555:assumed-role/R/sess", `"arn:aws:sts::555555555555:assumed-role/R/sess" is in account 555555555555, which this portal does not share with (allowed: ${OWN}, ${PARTNER})`],
  [OWNER, `"${OWNER}" is the owner, who always has access: leave it out`],
];

describe("checkSharedPrincipal: the ARN validation table", () => {
  it("has at least 40 cases, valid and invalid", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(TABLE.filter(([, m]) => m === null).length).toBeGreaterThanOrEqual(10);
  });
  it.each(TABLE)("%s", (entry, expected) => {
    const result = checkSharedPrincipal(entry, rules);
    if (expected === null) expect(result).toMatchObject({ ok: true, arn: entry.trim() });
    else expect(result).toEqual({ ok: false, message: expected });
  });
});

describe("allowed accounts", () => {
  it("defaults to the end-user role's account; * is any", () => {
    expect(allowedAccountsFrom([], "arn:aws:iam::123456789012:role/ServiceCatalogEndusers")).toEqual([OWN]);
    expect(allowedAccountsFrom([PARTNER], "arn:aws:iam::123456789012:role/X")).toEqual([PARTNER]);
    expect(allowedAccountsFrom(["*"], "arn:aws:iam::123456789012:role/X")).toBe("any");
    expect(checkSharedPrincipal("arn:aws:iam::999999999999:role/Outsider", { allowedAccounts: "any" }).ok).toBe(true);
  });
});

describe("share by ARN (the panel's paste box)", () => {
  it("splits on commas, spaces and new lines", () => {
    expect(splitEntries("a, b\nc  d,,e")).toEqual(["a", "b", "c", "d", "e"]);
  });
  it("adds valid entries, drops duplicates and the owner with a note, refuses the rest with their own message", () => {
    const current = [`arn:aws:iam::${OWN}:role/Analyst`];
    const result = entriesToAdd(`arn:aws:iam::${OWN}:user/bob, arn:aws:iam::${OWN}:user/bob\n${OWNER} arn:aws:iam::${OWN}:role/Analyst arn:aws:s3:::b arn:aws:iam::999999999999:user/x`, current, rules);
    expect(result.add).toEqual([`arn:aws:iam::${OWN}:user/bob`]);
    expect(result.notes).toEqual([
      `arn:aws:iam::${OWN}:user/bob was listed twice: added once`,
      `${OWNER} is the owner, who always has access: left out`,
      `arn:aws:iam::${OWN}:role/Analyst already has access: added once`,
    ]);
    expect(result.refused.map((r) => r.entry)).toEqual(["arn:aws:s3:::b", "arn:aws:iam::999999999999:user/x"]);
    expect(result.refused[1]?.message).toContain("account 999999999999");
  });
  it("refuses past the bucket policy's size, saying how many fit", () => {
    const max = maxSharedPrincipals();
    expect(max).toBe(42);
    const current = Array.from({ length: max - 1 }, (_, i) => `arn:aws:iam::${OWN}:user/u${i}`);
    const result = entriesToAdd(`arn:aws:iam::${OWN}:user/x1 arn:aws:iam::${OWN}:user/x2`, current, rules);
    expect(result.add).toEqual([]);
    expect(result.refused).toEqual([{ entry: "", message: `Too many principals: the bucket policy must stay under S3's 20 KB, so at most ${max} principals fit (this list has ${max + 1}); only 1 more can be added` }]);
  });
});

describe("the list as a parameter, and in provisionRequestSchema", () => {
  const params: ProvisioningParameter[] = [
    { key: "BucketName", type: "String", noEcho: false, defaultValue: "", description: "", constraints: {} },
    { key: "S3UserARNs", type: "CommaDelimitedList", noEcho: false, defaultValue: "", description: "Principals to share with", constraints: {} },
  ];
  const schema = provisionRequestSchema(
    { parameters: params, metadata: { labels: {}, groups: [] }, tagOptions: [] },
    { reservedKeys: ["OwnerEmail"], mode: "launch", ownerBoundKeys: ["OwnerPrincipalArn"], sharing: { key: "S3UserARNs", ...rules } },
  );
  const body = (arns: string[]) => ({ name: "shared-bucket", productId: "prod-abcdefghijklm", provisioningArtifactId: "pa-abcdefghijklm", parameters: { BucketName: "", S3UserARNs: arns } });
  const issues = (arns: string[]) => {
    const r = schema.safeParse(body(arns));
    return r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message]);
  };
  it("accepts allowed principals", () => {
    expect(issues([`arn:aws:iam::${OWN}:role/Analyst`, `arn:aws:iam::${PARTNER}:user/p`])).toEqual([]);
  });
  it("names the entry and the rule: root, another account, the owner", () => {
    expect(issues([`arn:aws:iam::${OWN}:role/Analyst`, `arn:aws:iam::${OWN}:root`, "arn:aws:iam::999999999999:user/x", OWNER])).toEqual([
      ["parameters.S3UserARNs.1", expect.stringMatching(/^S3 User ARNs: Entry 2: .* it is the root of account 123456789012/)],
      ["parameters.S3UserARNs.2", expect.stringMatching(/^S3 User ARNs: Entry 3: .* is in account 999999999999, which this portal does not share with/)],
      ["parameters.S3UserARNs.3", expect.stringMatching(/^S3 User ARNs: Entry 4: .* is the owner, who always has access/)],
    ]);
  });
  it("refuses more principals than the bucket policy holds", () => {
    const many = Array.from({ length: maxSharedPrincipals() + 1 }, (_, i) => `arn:aws:iam::${OWN}:user/u${i}`);
    expect(issues(many)).toEqual([["parameters.S3UserARNs", expect.stringContaining(`at most ${maxSharedPrincipals()} principals fit`)]]);
    expect(sharedListIssues(many.slice(1), rules)).toEqual([]);
  });
});

describe("describing principals and changes", () => {
  it("names the kind and marks other accounts", () => {
    expect(describePrincipal(`arn:aws:iam::${OWN}:role/Analyst`, OWN)).toEqual({ arn: `arn:aws:iam::${OWN}:role/Analyst`, kind: "IAM role", account: OWN, otherAccount: false });
    expect(describePrincipal(`arn:aws:iam::${PARTNER}:user/p`, OWN)).toMatchObject({ kind: "IAM user", otherAccount: true });
    expect(describePrincipal(`arn:aws:sts::${OWN}:assumed-role/R/s1`, OWN)).toMatchObject({ kind: "assumed-role session" });
  });
  it("lists who gains and who loses", () => {
    expect(shareChanges(["a", "b"], ["b", "c"])).toEqual({ added: ["c"], removed: ["a"] });
  });
});
