/**
 * ARN parsing, and the narrower question a bucket-sharing form asks: is this a principal that
 * can be granted access?
 *
 * Researchers paste ARNs from the console, from colleagues' e-mails and from CloudTrail, so a
 * refusal says what was pasted and why it cannot work (e.g. a bucket ARN where a user was meant)
 * rather than "invalid format". The commercial, China and GovCloud partitions are all accepted, so
 * the portal can run in any of them; a principal from another partition than the bucket's is
 * refused by AWS itself.
 */

export const ARN_PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
export type ArnPartition = (typeof ARN_PARTITIONS)[number];

export type Arn = {
  partition: ArnPartition;
  service: string;
  /** Empty for global services (IAM, STS's global endpoint, S3 buckets). */
  region: string;
  /** 12 digits, or empty where the service leaves it out (S3 buckets). */
  account: string;
  /** Everything after the fifth colon; may itself contain colons and slashes. */
  resource: string;
};

export type ParseArnResult = { ok: true; arn: Arn } | { ok: false; reason: string };

const SERVICE = /^[a-z0-9-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

function isPartition(s: string): s is ArnPartition {
  return (ARN_PARTITIONS as readonly string[]).includes(s);
}

/** Splits an ARN into its parts; `reason` says in plain words what is wrong when it is not one. */
export function parseArn(input: string): ParseArnResult {
  const s = input.trim();
  if (s === "") return { ok: false, reason: "it is empty" };
  if (!s.startsWith("arn:")) return { ok: false, reason: 'an ARN starts with "arn:"' };
  const parts = s.split(":");
  if (parts.length < 6) {
    return { ok: false, reason: "an ARN has six parts separated by colons: arn:partition:service:region:account:resource" };
  }
  const [, partition = "", service = "", region = "", account = ""] = parts;
  const resource = parts.slice(5).join(":");
  if (!isPartition(partition)) {
    return { ok: false, reason: `the partition "${partition}" is not one of ${ARN_PARTITIONS.join(", ")}` };
  }
  if (service === "") return { ok: false, reason: "the service part is missing" };
  if (!SERVICE.test(service)) return { ok: false, reason: `the service "${service}" is not an AWS service name` };
  if (region !== "" && !REGION.test(region)) {
    return { ok: false, reason: `the region "${region}" is not an AWS region such as us-east-1` };
  }
  if (account !== "" && !ACCOUNT.test(account)) {
    return { ok: false, reason: `the account "${account}" must be 12 digits` };
  }
  if (resource === "") return { ok: false, reason: "the resource part is missing" };
  return { ok: true, arn: { partition, service, region, account, resource } };
}

export type PrincipalArn =
  | { kind: "root"; partition: ArnPartition; account: string }
  | { kind: "user" | "role"; partition: ArnPartition; account: string; path: string; name: string }
  | { kind: "assumed-role"; partition: ArnPartition; account: string; roleName: string; sessionName: string };

export type CheckPrincipalArnResult =
  | { ok: true; principal: PrincipalArn }
  | { ok: false; reason: string; message: string };

/** IAM user and role names. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM paths allow printable ASCII; wildcards make no sense in a grant to one principal. */
const IAM_PATH_SEGMENT = /^[\x21-\x7E]+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const NAME_RULE = "letters, digits and + = , . @ _ -, up to 64 characters";

const SERVICE_NAMES: Record<string, string> = {
  s3: "S3",
  ec2: "EC2",
  kms: "KMS",
  lambda: "Lambda",
  sns: "SNS",
  sqs: "SQS",
  rds: "RDS",
  dynamodb: "DynamoDB",
  cloudformation: "CloudFormation",
  servicecatalog: "Service Catalog",
  logs: "CloudWatch Logs",
  secretsmanager: "Secrets Manager",
  ssm: "Systems Manager",
  elasticfilesystem: "EFS",
};

function withArticle(word: string): string {
  // Acronyms are read letter by letter ("an S3", "a KMS"); words by their first sound.
  const acronym = /^[A-Z0-9]+$/.test(word.split(" ")[0] ?? "");
  const vowelSound = acronym ? /^[AEFHILMNORSX]/.test(word) : /^[aeiou]/i.test(word);
  return vowelSound ? `an ${word}` : `a ${word}`;
}

function shown(input: string): string {
  const s = input.trim();
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function checkIamName(kind: "user" | "role", name: string): string | null {
  if (name === "") return `the ${kind} name is missing`;
  if (!IAM_NAME.test(name)) return `the ${kind} name "${name}" is not valid: IAM names use ${NAME_RULE}`;
  return null;
}

/** Why a well-formed ARN is not a grantable principal, or the principal it names. */
function principalFrom(arn: Arn): { principal: PrincipalArn } | { reason: string } {
  const { partition, service, region, account, resource } = arn;
  if (service !== "iam" && service !== "sts") {
    if (service === "s3") {
      return { reason: resource.includes("/") ? "an S3 object ARN is not a principal" : "an S3 bucket ARN is not a principal" };
    }
    return { reason: `${withArticle(SERVICE_NAMES[service] ?? service)} ARN is not a principal` };
  }
  if (resource.includes("*") || resource.includes("?")) return { reason: 'wildcards ("*") are not allowed: name one user or role' };
  if (region !== "") return { reason: `${service.toUpperCase()} ARNs have no region (arn:${partition}:${service}::<account>:...)` };
  if (account === "") return { reason: "the 12-digit account number is missing" };

  if (service === "sts") {
    const [type = "", roleName = "", sessionName, ...rest] = resource.split("/");
    if (type !== "assumed-role") return { reason: "only assumed-role session ARNs are accepted from STS" };
    if (sessionName === undefined || rest.length > 0) {
      return { reason: "an assumed-role ARN has the form assumed-role/<role name>/<session name>" };
    }
    const nameIssue = checkIamName("role", roleName);
    if (nameIssue) return { reason: nameIssue };
    if (!SESSION_NAME.test(sessionName)) {
      return { reason: `the session name "${sessionName}" is not valid: session names use ${NAME_RULE.replace("up to", "2 to")}` };
    }
    return { principal: { kind: "assumed-role", partition, account, roleName, sessionName } };
  }

  if (resource === "root") return { principal: { kind: "root", partition, account } };
  const slash = resource.indexOf("/");
  const type = slash === -1 ? resource : resource.slice(0, slash);
  if (type === "user" || type === "role") {
    if (slash === -1) return { reason: `the ${type} name is missing (${type}/<name>)` };
    const segments = resource.slice(slash + 1).split("/");
    const name = segments.pop() ?? "";
    if (segments.some((seg) => !IAM_PATH_SEGMENT.test(seg))) return { reason: `the ${type} path is not valid` };
    const nameIssue = checkIamName(type, name);
    if (nameIssue) return { reason: nameIssue };
    const path = segments.length === 0 ? "/" : `/${segments.join("/")}/`;
    return { principal: { kind: type, partition, account, path, name } };
  }
  if (type === "group") return { reason: "an IAM group cannot be given access: give the ARN of a user or role in it" };
  if (type === "instance-profile") return { reason: "an instance profile is not a principal: give the ARN of its role" };
  if (type === "policy") return { reason: "an IAM policy ARN is not a principal" };
  return { reason: `an IAM ${type} ARN is not a principal` };
}

/**
 * Accepts the principals a bucket may be shared with: IAM users and roles (with paths), an
 * account's root, and STS assumed-role sessions. Anything else is refused with the reason;
 * `message` is ready for a form, naming what was entered.
 */
export function checkPrincipalArn(input: string): CheckPrincipalArnResult {
  const parsed = parseArn(input);
  if (!parsed.ok) {
    return { ok: false, reason: parsed.reason, message: invalidArnMessage(input, parsed.reason) };
  }
  const result = principalFrom(parsed.arn);
  if ("reason" in result) {
    return {
      ok: false,
      reason: result.reason,
      message: `"${shown(input)}" cannot be given access: ${result.reason}; enter the ARN of an IAM user or role`,
    };
  }
  return { ok: true, principal: result.principal };
}

export function invalidArnMessage(input: string, reason: string): string {
  return input.trim() === "" ? "ARN is required" : `"${shown(input)}" is not a valid ARN: ${reason}`;
}

/** The end-user session ARN of the person whose sessions are named `sessionName`. */
export function endUserPrincipalArn(endUserRoleArn: string, sessionName: string): string {
  const parsed = parseArn(endUserRoleArn);
  if (!parsed.ok || parsed.arn.service !== "iam" || !parsed.arn.resource.startsWith("role/")) {
    throw new Error(`The end-user role must be an IAM role ARN, not ${endUserRoleArn}`);
  }
  const roleName = parsed.arn.resource.split("/").at(-1)!;
  return `arn:${parsed.arn.partition}:sts::${parsed.arn.account}:assumed-role/${roleName}/${sessionName}`;
}
