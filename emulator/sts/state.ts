import { randomBytes } from "node:crypto";
import { ACCOUNT_ID, BASE_USER, ROLES, roleByArn, type Principal, type RoleName, type SessionTag } from "../core/identity";
import { upperId, secret } from "../core/ids";
import type { KnownCredential } from "../core/sigv4";
import { ConstraintCollector, fullMatch } from "../core/validation";
import { AccessDenied, InvalidParameterValue, ValidationError } from "./errors";

/** One issued role session: what the emulator needs to verify its signatures and name its caller. */
export type StoredSession = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  issuedAt: number;
  account: string;
  roleName: RoleName;
  sessionName: string;
  sourceIdentity?: string;
  tags: SessionTag[];
  transitiveTagKeys: string[];
};

export type StsData = { sessions: Record<string, StoredSession> };

export function emptyStsData(): StsData {
  return { sessions: {} };
}

export type AssumeRoleInput = {
  RoleArn?: string;
  RoleSessionName?: string;
  DurationSeconds?: string;
  ExternalId?: string;
  SourceIdentity?: string;
  Policy?: string;
  Tags: Array<Record<string, string>>;
  TransitiveTagKeys: string[];
};

export type StsOptions = {
  /** When set, both roles' trust policies require this sts:ExternalId. */
  roleExternalId?: string;
  /**
   * What the roles' trust policies allow the portal's user besides sts:AssumeRole (default: both).
   * Without sts:TagSession a request with session tags is refused, without sts:SetSourceIdentity one
   * with a SourceIdentity: AWS evaluates each of these actions against the trust policy.
   */
  trustActions?: readonly ("sts:TagSession" | "sts:SetSourceIdentity")[];
  now: () => number;
};

const SESSION_NAME = fullMatch("[\\w+=,.@-]*");
const EXTERNAL_ID = fullMatch("[\\w+=,.@:\\/-]*");
const TAG_KEY = fullMatch("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
const TAG_VALUE = fullMatch("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
/** Expired sessions are forgotten a day after expiry so the state file does not grow forever. */
const FORGET_AFTER_MS = 24 * 3600 * 1000;

export function sessionArn(s: { account: string; roleName: string; sessionName: string }): string {
  return `arn:aws:sts::${s.account}:assumed-role/${s.roleName}/${s.sessionName}`;
}

/** The rules of STS (no HTTP): sessions issued by AssumeRole and who a given access key is. */
export class StsBackend {
  constructor(
    readonly data: StsData,
    private readonly options: StsOptions,
  ) {}

  lookupAccessKey(accessKeyId: string): KnownCredential | undefined {
    if (accessKeyId === BASE_USER.accessKeyId) {
      return {
        secretAccessKey: BASE_USER.secretAccessKey,
        principal: { kind: "user", arn: BASE_USER.arn, userId: BASE_USER.userId, account: ACCOUNT_ID, accessKeyId },
      };
    }
    const session = this.data.sessions[accessKeyId];
    if (!session) return undefined;
    return { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiresAt: session.expiresAt, principal: this.principalOf(session) };
  }

  principalOf(session: StoredSession): Principal {
    const role = ROLES[session.roleName];
    return {
      kind: "assumed-role",
      arn: sessionArn(session),
      userId: `${role.roleId}:${session.sessionName}`,
      account: session.account,
      accessKeyId: session.accessKeyId,
      roleName: session.roleName,
      roleArn: role.arn,
      sessionName: session.sessionName,
      ...(session.sourceIdentity ? { sourceIdentity: session.sourceIdentity } : {}),
      sessionTags: session.tags,
    };
  }

  getCallerIdentity(caller: Principal) {
    return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
  }

  assumeRole(caller: Principal, input: AssumeRoleInput) {
    const checks = new ConstraintCollector();
    if (input.RoleArn === undefined) checks.add("null", "roleArn", "not be null");
    if (input.RoleSessionName === undefined) checks.add("null", "roleSessionName", "not be null");
    checks.string(input.RoleArn, "roleArn", { min: 20, max: 2048 });
    checks.string(input.RoleSessionName, "roleSessionName", { min: 2, max: 64, pattern: SESSION_NAME, patternText: "[\\w+=,.@-]*" });
    checks.string(input.ExternalId, "externalId", { min: 2, max: 1224, pattern: EXTERNAL_ID, patternText: "[\\w+=,.@:\\/-]*" });
    checks.string(input.SourceIdentity, "sourceIdentity", { min: 2, max: 64, pattern: SESSION_NAME, patternText: "[\\w+=,.@-]*" });
    let duration = 3600;
    if (input.DurationSeconds !== undefined) {
      duration = Number(input.DurationSeconds);
      if (!Number.isInteger(duration)) throw new ValidationError(`Value '${input.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
      if (duration < 900) checks.add(duration, "durationSeconds", "have value greater than or equal to 900");
      if (duration > 43200) checks.add(duration, "durationSeconds", "have value less than or equal to 43200");
    }
    if (input.Tags.length > 50) checks.add(input.Tags.map((t) => `${t.Key}=${t.Value}`), "tags", "have length less than or equal to 50");
    input.Tags.forEach((tag, i) => {
      const path = `tags.${i + 1}.member`;
      if (tag.Key === undefined) checks.add("null", `${path}.key`, "not be null");
      if (tag.Value === undefined) checks.add("null", `${path}.value`, "not be null");
      checks.string(tag.Key, `${path}.key`, { min: 1, max: 128, pattern: TAG_KEY, patternText: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+" });
      checks.string(tag.Value, `${path}.value`, { min: 0, max: 256, pattern: TAG_VALUE, patternText: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*" });
    });
    if (input.TransitiveTagKeys.length > 50) checks.add(input.TransitiveTagKeys, "transitiveTagKeys", "have length less than or equal to 50");
    if (checks.message) throw new ValidationError(checks.message);

    const tags = input.Tags as SessionTag[];
    const seen = new Set<string>();
    for (const tag of tags) {
      const key = tag.Key.toLowerCase();
      if (key.startsWith("aws:")) throw new InvalidParameterValue(`The tag key '${tag.Key}' is not valid: tag keys can't start with 'aws:'.`);
      if (seen.has(key)) throw new InvalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
      seen.add(key);
    }
    for (const key of input.TransitiveTagKeys) {
      if (!seen.has(key.toLowerCase())) throw new InvalidParameterValue("The specified transitive tag key must be included in the requested tags.");
    }
    if (input.SourceIdentity?.toLowerCase().startsWith("aws:")) {
      throw new InvalidParameterValue("SourceIdentity cannot start with the prefix 'aws:'.");
    }

    const roleArn = input.RoleArn!;
    const role = roleByArn(roleArn);
    // Unknown roles, untrusted callers and a wrong ExternalId all look the same to the caller.
    if (!role || !role.trustedPrincipals.includes(caller.arn)) throw new AccessDenied(caller.arn, "sts:AssumeRole", roleArn);
    if (this.options.roleExternalId !== undefined && input.ExternalId !== this.options.roleExternalId) {
      throw new AccessDenied(caller.arn, "sts:AssumeRole", roleArn);
    }
    const trusted = this.options.trustActions ?? ["sts:TagSession", "sts:SetSourceIdentity"];
    if (input.Tags.length > 0 && !trusted.includes("sts:TagSession")) throw new AccessDenied(caller.arn, "sts:TagSession", roleArn);
    if (input.SourceIdentity !== undefined && !trusted.includes("sts:SetSourceIdentity")) throw new AccessDenied(caller.arn, "sts:SetSourceIdentity", roleArn);
    if (duration > role.maxSessionDurationSeconds) {
      throw new ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }

    const now = this.options.now();
    this.forgetOldSessions(now);
    const session: StoredSession = {
      accessKeyId: upperId("ASIA", 16),
      secretAccessKey: secret(40),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString("base64")}`,
      issuedAt: now,
      expiresAt: now + duration * 1000,
      account: caller.account,
      roleName: role.name,
      sessionName: input.RoleSessionName!,
      ...(input.SourceIdentity ? { sourceIdentity: input.SourceIdentity } : {}),
      tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })),
      transitiveTagKeys: input.TransitiveTagKeys,
    };
    this.data.sessions[session.accessKeyId] = session;
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: new Date(session.expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${session.sessionName}`, Arn: sessionArn(session) },
      PackedPolicySize: tags.length > 0 ? Math.min(100, 5 + tags.length * 2) : undefined,
      SourceIdentity: session.sourceIdentity,
    };
  }

  /** Fault injection: every session issued so far expires now. */
  expireAllSessions(): number {
    const now = this.options.now();
    let count = 0;
    for (const session of Object.values(this.data.sessions)) {
      if (session.expiresAt > now) {
        session.expiresAt = now;
        count++;
      }
    }
    return count;
  }

  /** Sessions as the state endpoint shows them: no secrets. */
  describeSessions() {
    return Object.values(this.data.sessions).map((s) => ({
      accessKeyId: s.accessKeyId,
      arn: sessionArn(s),
      sourceIdentity: s.sourceIdentity,
      tags: s.tags,
      transitiveTagKeys: s.transitiveTagKeys,
      issuedAt: new Date(s.issuedAt).toISOString(),
      expiresAt: new Date(s.expiresAt).toISOString(),
      expired: s.expiresAt <= this.options.now(),
    }));
  }

  private forgetOldSessions(now: number): void {
    for (const [key, session] of Object.entries(this.data.sessions)) {
      if (session.expiresAt + FORGET_AFTER_MS < now) delete this.data.sessions[key];
    }
  }
}
