/**
 * Names STS records for the portal's per-user sessions: RoleSessionName, SourceIdentity and
 * session tag values.
 *
 * The session name shows up in CloudTrail and in the assumed-role ARN that Service Catalog calls
 * the owner (`AccessLevelFilter` User shows a person what that ARN launched), so it must be stable
 * per user and distinct between users. Decisions:
 * - An email that already fits STS's rule (2..64 of `[\w+=,.@-]`, ASCII) is used as it is, trimmed
 *   and lower-cased: alice@example.org stays readable in CloudTrail.
 * - Any other email becomes its sanitised text (each disallowed code point replaced by "_"), cut to
 *   43 characters, then "-" and the first 20 hex digits of SHA-256 over the UTF-8 bytes of the
 *   normalised email: 64 characters at most. 20 hex digits are 80 bits; among a million such
 *   emails the chance that any two share a suffix is about n²/2^81 ≈ 4·10⁻¹³ (the 32-bit hash used
 *   before reached even odds at ~77,000 emails and could be searched for on purpose).
 * - The suffix makes an accidental clash implausible, not impossible (someone could pick an email
 *   equal to another person's hashed name), so the database keeps the name unique
 *   (`users.aws_session_name`) and refuses the second login that would share it.
 * - The migration 20261124090000_user_aws_session_name computes the same name in SQL for existing
 *   users; change the rule only together with a migration that recomputes the column.
 * Runs on the server only (node:crypto); nothing in the browser needs the name.
 */
import { createHash } from "node:crypto";
import { buildReservedTags, sanitizeTagValue, type UserIdentity } from "./tags";

/** STS RoleSessionName and SourceIdentity: 2..64 characters of `[\w+=,.@-]` (\w is ASCII). */
export const SESSION_NAME_MIN_LENGTH = 2;
export const SESSION_NAME_MAX_LENGTH = 64;
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
/** One match per code point (`u`), so an astral character becomes one "_", as in PostgreSQL. */
const SESSION_NAME_DISALLOWED = /[^\w+=,.@-]/gu;
/** Hex digits of SHA-256 kept in the suffix: 80 bits. */
export const SESSION_NAME_HASH_HEX_DIGITS = 20;

/** STS session tag values: at most 256 characters, the same characters as resource tags. */
export const SESSION_TAG_VALUE_MAX_LENGTH = 256;
export const SESSION_TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** SHA-256 over the UTF-8 bytes of `s`, lower-case hex. */
function sha256Hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

/** The email as the portal stores it (readLoginClaims does the same): trimmed, lower-cased. */
function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised === "") throw new Error("An email address is needed to name the user's AWS session");
  return normalised;
}

/**
 * The name a user's AWS sessions carry, RoleSessionName and SourceIdentity alike (see the module
 * header): the normalised email when it already fits; otherwise its sanitised text cut to 43
 * characters, "-" and 20 hex digits of SHA-256 of the normalised email. Stored on the user row
 * (`awsSessionName`) so that no two users can hold the same one.
 */
export function awsSessionNameFromEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (SESSION_NAME_PATTERN.test(normalised)) return normalised;
  const sanitised = normalised.replace(SESSION_NAME_DISALLOWED, "_");
  const suffix = `-${sha256Hex(normalised).slice(0, SESSION_NAME_HASH_HEX_DIGITS)}`;
  return sanitised.slice(0, SESSION_NAME_MAX_LENGTH - suffix.length) + suffix;
}

/** RoleSessionName for the user's AssumeRole call: stable per user, ≤64 characters. */
export function roleSessionNameFromEmail(email: string): string {
  return awsSessionNameFromEmail(email);
}

/**
 * SourceIdentity for the user's AssumeRole call. It has the same character rule as the session
 * name, and using the same text lets CloudTrail entries be matched to the session name at a
 * glance.
 */
export function sourceIdentityFromEmail(email: string): string {
  return awsSessionNameFromEmail(email);
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
