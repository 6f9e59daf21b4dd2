import "server-only";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { env } from "@/lib/env";
import { awsClientConfig, baseCredentials, type AwsCredentials } from "@/lib/aws/config";
import { roleSessionNameFromEmail, sourceIdentityFromEmail, sessionTagsFromIdentity } from "@/lib/domain/session-name";

/** Whom a session acts for. Department/project become session tags, as the reserved tags do. */
export type SessionIdentity = { email: string; department?: string | null; project?: string | null };
export type SessionKind = "enduser" | "admin";

export type UserSession = {
  credentials: AwsCredentials & { expiration: Date };
  /** arn:aws:sts::<account>:assumed-role/<role>/<session>: what Service Catalog records as owner. */
  principalArn: string;
};

const REFRESH_MARGIN_MS = 5 * 60 * 1000;

let stsClient: STSClient | undefined;
function sts(): STSClient {
  if (!stsClient) {
    const credentials = baseCredentials();
    // Without explicit keys the client resolves its own through the SDK's default chain.
    stsClient = new STSClient({ ...awsClientConfig("sts"), ...(credentials ? { credentials } : {}) });
  }
  return stsClient;
}

const cache = new Map<string, UserSession>();
const inFlight = new Map<string, Promise<UserSession>>();

function roleArnFor(kind: SessionKind): string {
  return kind === "admin" ? env().AWS_ADMIN_ROLE_ARN : env().AWS_ENDUSER_ROLE_ARN;
}

async function assume(kind: SessionKind, identity: SessionIdentity): Promise<UserSession> {
  const settings = env();
  // Same keys and values as the reserved tags on products, so IAM conditions can compare them.
  const { tags, transitiveTagKeys } = sessionTagsFromIdentity(identity, settings.RESERVED_TAG_KEYS);
  const result = await sts().send(
    new AssumeRoleCommand({
      RoleArn: roleArnFor(kind),
      RoleSessionName: roleSessionNameFromEmail(identity.email),
      SourceIdentity: sourceIdentityFromEmail(identity.email),
      DurationSeconds: settings.AWS_SESSION_DURATION_SECONDS,
      Tags: tags,
      TransitiveTagKeys: transitiveTagKeys,
      ...(settings.AWS_ROLE_EXTERNAL_ID ? { ExternalId: settings.AWS_ROLE_EXTERNAL_ID } : {}),
    }),
  );
  const c = result.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !result.AssumedRoleUser?.Arn) {
    throw new Error("STS AssumeRole returned no credentials");
  }
  return {
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
    principalArn: result.AssumedRoleUser.Arn,
  };
}

/**
 * The user's own AWS session: cached until five minutes before it expires (or `minValidityMs`,
 * for credentials handed to a client that keeps them that long); concurrent callers share one
 * AssumeRole call.
 */
export async function sessionFor(identity: SessionIdentity, kind: SessionKind = "enduser", { minValidityMs = REFRESH_MARGIN_MS }: { minValidityMs?: number } = {}): Promise<UserSession> {
  const key = `${kind}\u0000${identity.email.toLowerCase()}\u0000${identity.department ?? ""}\u0000${identity.project ?? ""}`;
  const cached = cache.get(key);
  if (cached && cached.credentials.expiration.getTime() - Date.now() > minValidityMs) return cached;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const request = assume(kind, identity)
    .then((session) => {
      cache.set(key, session);
      return session;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, request);
  return request;
}

/** Drop a cached session (e.g. after AWS said ExpiredToken). */
export function forgetSession(identity: SessionIdentity, kind: SessionKind = "enduser"): void {
  for (const key of cache.keys()) {
    if (key.startsWith(`${kind}\u0000${identity.email.toLowerCase()}\u0000`)) cache.delete(key);
  }
}

/** The system identity used by background reconciliation (admin role, account-wide view). */
export const SYSTEM_IDENTITY: SessionIdentity = { email: "quartermaster-system@localhost" };

/**
 * The person's end-user session for a client of their own (the AWS CLI's credential_process):
 * the very session the portal uses for them (same name, SourceIdentity and tags), renewed when
 * less than `minValidityMs` is left, since the client keeps it until close to its expiry.
 */
export async function endUserSessionForClient(identity: SessionIdentity, minValidityMs: number): Promise<UserSession> {
  return sessionFor(identity, "enduser", { minValidityMs });
}
