/**
 * Names STS records for the portal's per-user sessions: RoleSessionName, SourceIdentity and
 * session tag values.
 *
 * The session name shows up in CloudTrail and in the assumed-role ARN that Service Catalog calls
 * the owner, so it must be stable per user (same email, same name, on any server and in the
 * browser) and distinct between users. Pure, and without node:crypto, so the same code can run
 * in the browser.
 */
import { buildReservedTags, sanitizeTagValue, type UserIdentity } from "./tags";

/** STS RoleSessionName and SourceIdentity: 2..64 characters of `[\w+=,.@-]` (\w is ASCII). */
export const SESSION_NAME_MIN_LENGTH = 2;
export const SESSION_NAME_MAX_LENGTH = 64;
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
const SESSION_NAME_DISALLOWED = /[^\w+=,.@-]/g;

/** STS session tag values: at most 256 characters, the same characters as resource tags. */
export const SESSION_TAG_VALUE_MAX_LENGTH = 256;
export const SESSION_TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `s`, as 8 lower-case hex digits. Not for security: it
 * only keeps two long or non-ASCII emails that sanitise to the same text apart.
 */
export function fnv1a32(s: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    hash ^= byte;
    // Multiply by the FNV prime 16777619 (2^24 + 403) within 32 bits.
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised === "") throw new Error("An email address is needed to name the user's AWS session");
  return normalised;
}

/**
 * Shared rule for RoleSessionName and SourceIdentity: the lower-cased email when it already fits;
 * otherwise the email with each disallowed character replaced by "_", cut to leave room for "-"
 * and an 8-digit hash of the whole email. The hash is added whenever anything was changed, so two
 * different emails never end up with the same name.
 */
function stsNameFromEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (SESSION_NAME_PATTERN.test(normalised)) return normalised;
  const sanitised = normalised.replace(SESSION_NAME_DISALLOWED, "_");
  const suffix = `-${fnv1a32(normalised)}`;
  return sanitised.slice(0, SESSION_NAME_MAX_LENGTH - suffix.length) + suffix;
}

/** RoleSessionName for the user's AssumeRole call: stable per user, ≤64 characters. */
export function roleSessionNameFromEmail(email: string): string {
  return stsNameFromEmail(email);
}

/**
 * SourceIdentity for the user's AssumeRole call. It has the same character rule as the session
 * name, and using the same text lets CloudTrail entries be matched to the session name at a
 * glance.
 */
export function sourceIdentityFromEmail(email: string): string {
  return stsNameFromEmail(email);
}

/** Makes any string acceptable as an STS session tag value (disallowed characters become "_"). */
export function sessionTagValue(value: string): string {
  return sanitizeTagValue(value);
}

export function isValidSessionTagValue(value: string): boolean {
  return SESSION_TAG_VALUE_PATTERN.test(value);
}

/**
 * The session tags for the user's AssumeRole call: the same keys and values as the reserved tags
 * the portal puts on products, so IAM conditions on `aws:PrincipalTag/...` and on
 * `aws:RequestTag/...` see identical values. All are transitive, so they survive role chaining.
 */
export function sessionTagsFromIdentity(
  identity: UserIdentity,
  reservedKeys: readonly string[],
): { tags: { Key: string; Value: string }[]; transitiveTagKeys: string[] } {
  const tags = buildReservedTags(identity, reservedKeys).map((t) => ({ Key: t.key, Value: t.value }));
  return { tags, transitiveTagKeys: tags.map((t) => t.Key) };
}
