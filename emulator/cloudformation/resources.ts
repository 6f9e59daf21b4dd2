import { randomBytes } from "node:crypto";
import { randomId } from "../core/ids";

/**
 * The AWS resources templates create, kept so the demo and tests can see them (S3 buckets with
 * their policy and tags, EC2 instances), plus what each resource type does on create, update and
 * delete and which property changes replace it (CloudFormation's "Update requires: Replacement").
 */
export type Tag = { Key: string; Value: string };

export type Bucket = {
  name: string;
  arn: string;
  region: string;
  createdAt: string;
  encryption: string | null;
  publicAccessBlocked: boolean;
  tags: Tag[];
  policy: unknown;
  /** Principals the policy's Allow statements name (the owner plus S3UserARNs, Synapse...). */
  principals: string[];
  objects: Record<string, { size: number; body: string; lastModified: string }>;
  /** The stack that manages it; null once it was retained on delete. */
  stackId: string | null;
  retained: boolean;
};

export type Instance = {
  instanceId: string;
  instanceType: string;
  imageId: string;
  state: "pending" | "running" | "terminated";
  privateIpAddress: string;
  privateDnsName: string;
  availabilityZone: string;
  volumeSize: number;
  volumeType: string;
  iamInstanceProfile: string | null;
  tags: Tag[];
  launchTime: string;
  terminatedAt: string | null;
  stackId: string | null;
};

export type OtherResource = { type: string; physicalId: string; properties: unknown; tags: Tag[]; stackId: string | null; createdAt: string };

export type World = {
  buckets: Record<string, Bucket>;
  instances: Record<string, Instance>;
  other: Record<string, OtherResource>;
};

export function emptyWorld(): World {
  return { buckets: {}, instances: {}, other: {} };
}

/** A resource failed the way a CloudFormation resource handler reports it. */
export class ResourceFailure extends Error {
  constructor(
    readonly logicalId: string,
    message: string,
    readonly handlerErrorCode = "InvalidRequest",
  ) {
    super(message);
    this.name = "ResourceFailure";
  }
}

export type ProvisioningContext = {
  world: World;
  region: string;
  account: string;
  stackId: string;
  stackName: string;
  /** Stack-level tags CloudFormation propagates to every resource (Service Catalog's and the user's). */
  stackTags: Tag[];
  now: Date;
};

export type Created = { physicalId: string; attributes: Record<string, unknown> };

export type ResourceProvider = {
  /** Properties whose change replaces the resource. */
  replaceOn: string[];
  create(ctx: ProvisioningContext, logicalId: string, props: Record<string, unknown>): Created;
  update?(ctx: ProvisioningContext, logicalId: string, physicalId: string, props: Record<string, unknown>): Created;
  /** `retain`: the resource stays, only detached from the stack. */
  delete(ctx: ProvisioningContext, logicalId: string, physicalId: string, retain: boolean): void;
};

function resourceTags(ctx: ProvisioningContext, logicalId: string, props: Record<string, unknown>): Tag[] {
  const own = Array.isArray(props.Tags) ? (props.Tags as Tag[]).map((t) => ({ Key: String(t.Key), Value: String(t.Value) })) : [];
  const cfn = [
    { Key: "aws:cloudformation:stack-name", Value: ctx.stackName },
    { Key: "aws:cloudformation:stack-id", Value: ctx.stackId },
    { Key: "aws:cloudformation:logical-id", Value: logicalId },
  ];
  const merged = new Map<string, string>();
  for (const tag of [...ctx.stackTags, ...own, ...cfn]) merged.set(tag.Key, tag.Value);
  return [...merged.entries()].map(([Key, Value]) => ({ Key, Value }));
}

/** CloudFormation's generated physical names: <stack>-<logical id>-<random>, trimmed to fit. */
export function generatedName(stackName: string, logicalId: string, maxLength: number, lowercase: boolean): string {
  const suffix = randomId("", 12).toUpperCase();
  const budget = maxLength - suffix.length - 2;
  const stackPart = stackName.slice(0, Math.max(1, Math.floor(budget / 2)));
  const logicalPart = logicalId.slice(0, budget - stackPart.length);
  const name = `${stackPart}-${logicalPart}-${suffix}`;
  return lowercase ? name.toLowerCase() : name;
}

const BUCKET_NAME = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

function bucketAttributes(bucket: Bucket): Record<string, unknown> {
  return {
    Arn: bucket.arn,
    DomainName: `${bucket.name}.s3.amazonaws.com`,
    RegionalDomainName: `${bucket.name}.s3.${bucket.region}.amazonaws.com`,
    DualStackDomainName: `${bucket.name}.s3.dualstack.${bucket.region}.amazonaws.com`,
    WebsiteURL: `http://${bucket.name}.s3-website-${bucket.region}.amazonaws.com`,
  };
}

function applyBucketProperties(bucket: Bucket, ctx: ProvisioningContext, logicalId: string, props: Record<string, unknown>): void {
  const encryption = props.BucketEncryption as { ServerSideEncryptionConfiguration?: Array<{ ServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }> } | undefined;
  // S3 encrypts every new object with SSE-S3 (AES256) when nothing else is configured.
  bucket.encryption = encryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm ?? "AES256";
  const block = props.PublicAccessBlockConfiguration as Record<string, unknown> | undefined;
  bucket.publicAccessBlocked = Boolean(block && ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"].every((k) => block[k] === true || block[k] === "true"));
  bucket.tags = resourceTags(ctx, logicalId, props);
}

const s3Bucket: ResourceProvider = {
  replaceOn: ["BucketName", "ObjectLockEnabled"],
  create(ctx, logicalId, props) {
    const name = typeof props.BucketName === "string" && props.BucketName !== "" ? props.BucketName : generatedName(ctx.stackName, logicalId, 63, true);
    if (!BUCKET_NAME.test(name)) {
      throw new ResourceFailure(logicalId, `Bucket name should not contain uppercase characters, underscores or start/end with a non-alphanumeric: ${name} (Service: S3, Status Code: 400, Error Code: InvalidBucketName)`, "InvalidRequest");
    }
    if (ctx.world.buckets[name]) throw new ResourceFailure(logicalId, `${name} already exists`, "AlreadyExists");
    const bucket: Bucket = {
      name,
      arn: bucketArn(name),
      region: ctx.region,
      createdAt: ctx.now.toISOString(),
      encryption: null,
      publicAccessBlocked: false,
      tags: [],
      policy: null,
      principals: [],
      objects: {},
      stackId: ctx.stackId,
      retained: false,
    };
    applyBucketProperties(bucket, ctx, logicalId, props);
    ctx.world.buckets[name] = bucket;
    return { physicalId: name, attributes: bucketAttributes(bucket) };
  },
  update(ctx, logicalId, physicalId, props) {
    const bucket = ctx.world.buckets[physicalId];
    if (!bucket) throw new ResourceFailure(logicalId, `The specified bucket does not exist (Bucket: ${physicalId})`, "NotFound");
    applyBucketProperties(bucket, ctx, logicalId, props);
    return { physicalId, attributes: bucketAttributes(bucket) };
  },
  delete(ctx, logicalId, physicalId, retain) {
    const bucket = ctx.world.buckets[physicalId];
    if (!bucket) return;
    if (retain) {
      bucket.stackId = null;
      bucket.retained = true;
      return;
    }
    if (Object.keys(bucket.objects).length > 0) {
      throw new ResourceFailure(logicalId, `The bucket you tried to delete is not empty (Service: S3, Status Code: 409, Error Code: BucketNotEmpty)`, "GeneralServiceException");
    }
    delete ctx.world.buckets[physicalId];
  },
};

const PRINCIPAL = /^(\*|\d{12}|arn:aws:iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;

function allowPrincipals(policy: unknown): string[] {
  const statements = (policy as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const principals = new Set<string>();
  for (const statement of list as Array<{ Effect?: string; Principal?: unknown }>) {
    if (statement.Effect !== "Allow") continue;
    const principal = statement.Principal;
    const aws = typeof principal === "string" ? principal : (principal as { AWS?: unknown })?.AWS;
    for (const p of Array.isArray(aws) ? aws : aws === undefined ? [] : [aws]) principals.add(String(p));
  }
  return [...principals];
}

function allPrincipals(policy: unknown): string[] {
  const statements = (policy as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const out: string[] = [];
  for (const statement of list as Array<{ Principal?: unknown }>) {
    const principal = statement.Principal;
    const aws = typeof principal === "string" ? principal : (principal as { AWS?: unknown })?.AWS;
    for (const p of Array.isArray(aws) ? aws : aws === undefined ? [] : [aws]) out.push(String(p).trim());
  }
  return out;
}

function putBucketPolicy(ctx: ProvisioningContext, logicalId: string, props: Record<string, unknown>): Created {
  const name = String(props.Bucket ?? "");
  const bucket = ctx.world.buckets[name];
  if (!bucket) throw new ResourceFailure(logicalId, `The specified bucket does not exist (Service: S3, Status Code: 404, Error Code: NoSuchBucket)`, "NotFound");
  const invalid = allPrincipals(props.PolicyDocument).find((p) => !PRINCIPAL.test(p));
  if (invalid !== undefined) {
    throw new ResourceFailure(logicalId, `Invalid principal in policy: "${invalid}" (Service: S3, Status Code: 400, Error Code: MalformedPolicy)`, "InvalidRequest");
  }
  bucket.policy = props.PolicyDocument;
  bucket.principals = allowPrincipals(props.PolicyDocument);
  return { physicalId: name, attributes: {} };
}

const s3BucketPolicy: ResourceProvider = {
  replaceOn: ["Bucket"],
  create: (ctx, logicalId, props) => putBucketPolicy(ctx, logicalId, props),
  update: (ctx, logicalId, _physicalId, props) => putBucketPolicy(ctx, logicalId, props),
  delete(ctx, _logicalId, physicalId, retain) {
    const bucket = ctx.world.buckets[physicalId];
    if (bucket && !retain) {
      bucket.policy = null;
      bucket.principals = [];
    }
  },
};

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal)$/;

function privateIp(): string {
  const bytes = randomBytes(2);
  return `172.31.${bytes[0]! % 256}.${(bytes[1]! % 250) + 4}`;
}

function instanceAttributes(instance: Instance): Record<string, unknown> {
  return {
    InstanceId: instance.instanceId,
    PrivateIp: instance.privateIpAddress,
    PrivateDnsName: instance.privateDnsName,
    AvailabilityZone: instance.availabilityZone,
    PublicIp: "",
    PublicDnsName: "",
  };
}

function volumeOf(props: Record<string, unknown>): { size: number; type: string } {
  const mappings = Array.isArray(props.BlockDeviceMappings) ? (props.BlockDeviceMappings as Array<{ Ebs?: { VolumeSize?: unknown; VolumeType?: unknown } }>) : [];
  const ebs = mappings[0]?.Ebs;
  return { size: ebs?.VolumeSize === undefined ? 8 : Number(ebs.VolumeSize), type: ebs?.VolumeType === undefined ? "gp2" : String(ebs.VolumeType) };
}

const ec2Instance: ResourceProvider = {
  // The emulator treats an instance-type change as a replacement (new instance id), as the
  // product's usage instructions tell users; so do image, disk and placement changes.
  replaceOn: ["ImageId", "InstanceType", "BlockDeviceMappings", "AvailabilityZone", "SubnetId", "KeyName", "PrivateIpAddress", "SecurityGroups"],
  create(ctx, logicalId, props) {
    const instanceType = String(props.InstanceType ?? "m1.small");
    if (!INSTANCE_TYPE.test(instanceType)) {
      throw new ResourceFailure(logicalId, `The instance type '${instanceType}' does not exist (Service: Ec2, Status Code: 400, Error Code: InvalidParameterValue)`);
    }
    const imageId = String(props.ImageId ?? "");
    if (!/^ami-[0-9a-f]{8,17}$/.test(imageId)) {
      throw new ResourceFailure(logicalId, `Invalid id: "${imageId}" (Service: Ec2, Status Code: 400, Error Code: InvalidAMIID.Malformed)`);
    }
    const volume = volumeOf(props);
    const ip = privateIp();
    const instance: Instance = {
      instanceId: `i-${randomBytes(9).toString("hex").slice(0, 17)}`,
      instanceType,
      imageId,
      state: "running",
      privateIpAddress: ip,
      privateDnsName: `ip-${ip.replace(/\./g, "-")}.ec2.internal`,
      availabilityZone: typeof props.AvailabilityZone === "string" ? props.AvailabilityZone : `${ctx.region}a`,
      volumeSize: volume.size,
      volumeType: volume.type,
      iamInstanceProfile: typeof props.IamInstanceProfile === "string" ? props.IamInstanceProfile : null,
      tags: resourceTags(ctx, logicalId, props),
      launchTime: ctx.now.toISOString(),
      terminatedAt: null,
      stackId: ctx.stackId,
    };
    ctx.world.instances[instance.instanceId] = instance;
    return { physicalId: instance.instanceId, attributes: instanceAttributes(instance) };
  },
  update(ctx, logicalId, physicalId, props) {
    const instance = ctx.world.instances[physicalId];
    if (!instance || instance.state === "terminated") throw new ResourceFailure(logicalId, `The instance ID '${physicalId}' does not exist`, "NotFound");
    instance.tags = resourceTags(ctx, logicalId, props);
    instance.iamInstanceProfile = typeof props.IamInstanceProfile === "string" ? props.IamInstanceProfile : null;
    return { physicalId, attributes: instanceAttributes(instance) };
  },
  delete(ctx, _logicalId, physicalId, retain) {
    const instance = ctx.world.instances[physicalId];
    if (!instance) return;
    if (retain) {
      instance.stackId = null;
      return;
    }
    instance.state = "terminated";
    instance.terminatedAt = ctx.now.toISOString();
    instance.stackId = null;
  },
};

function otherProvider(type: string, replaceOn: string[], makeId: (ctx: ProvisioningContext, logicalId: string, props: Record<string, unknown>) => string, attributes: (ctx: ProvisioningContext, id: string, props: Record<string, unknown>) => Record<string, unknown>): ResourceProvider {
  const store = (ctx: ProvisioningContext, logicalId: string, physicalId: string, props: Record<string, unknown>): Created => {
    ctx.world.other[`${type}|${physicalId}`] = { type, physicalId, properties: props, tags: resourceTags(ctx, logicalId, props), stackId: ctx.stackId, createdAt: ctx.now.toISOString() };
    return { physicalId, attributes: attributes(ctx, physicalId, props) };
  };
  return {
    replaceOn,
    create: (ctx, logicalId, props) => store(ctx, logicalId, makeId(ctx, logicalId, props), props),
    update: (ctx, logicalId, physicalId, props) => store(ctx, logicalId, physicalId, props),
    delete(ctx, _logicalId, physicalId, retain) {
      const key = `${type}|${physicalId}`;
      if (retain && ctx.world.other[key]) ctx.world.other[key]!.stackId = null;
      else delete ctx.world.other[key];
    },
  };
}

const iamRole = otherProvider(
  "AWS::IAM::Role",
  ["RoleName", "Path"],
  (ctx, logicalId, props) => (typeof props.RoleName === "string" ? props.RoleName : generatedName(ctx.stackName, logicalId, 64, false)),
  (ctx, id) => ({ Arn: `arn:aws:iam::${ctx.account}:role/${id}`, RoleId: `AROA${randomId("", 17).toUpperCase()}` }),
);

const instanceProfile = otherProvider(
  "AWS::IAM::InstanceProfile",
  ["InstanceProfileName", "Path"],
  (ctx, logicalId, props) => (typeof props.InstanceProfileName === "string" ? props.InstanceProfileName : generatedName(ctx.stackName, logicalId, 128, false)),
  (ctx, id) => ({ Arn: `arn:aws:iam::${ctx.account}:instance-profile/${id}` }),
);

const PROVIDERS: Record<string, ResourceProvider> = {
  "AWS::S3::Bucket": s3Bucket,
  "AWS::S3::BucketPolicy": s3BucketPolicy,
  "AWS::EC2::Instance": ec2Instance,
  "AWS::IAM::Role": iamRole,
  "AWS::IAM::InstanceProfile": instanceProfile,
};

/** Types the emulator does not model are kept as opaque resources with a generated id. */
function genericProvider(type: string): ResourceProvider {
  return otherProvider(type, [], (ctx, logicalId) => generatedName(ctx.stackName, logicalId, 64, false), () => ({}));
}

export function providerFor(type: string): ResourceProvider {
  return PROVIDERS[type] ?? genericProvider(type);
}
