import { z } from "zod";

/**
 * Personal access tokens: what the AWS CLI's credential_process presents to GET /api/credentials
 * to get the person's own STS session. The rules, and why:
 *
 * - A token reads `qm_pat_` + 43 base64url characters (32 random bytes). The fixed prefix lets
 *   secret scanners (GitHub's, gitleaks) recognise a leaked one.
 * - The portal keeps only the SHA-256 of the whole token, found by that hash (a unique index), so a
 *   database dump holds nothing that works. The secret is shown once, when it is created.
 * - A token lives 30 days unless its owner chooses otherwise, at most 90: a forgotten token dies.
 * - At most 10 active (neither revoked nor expired) tokens per person: enough for every machine
 *   they use, few enough to review.
 * - A revoked or expired token, or one whose owner an admin has deactivated, stops at once: every
 *   request checks all three.
 *
 * Pure: shared by the CLI page's form and the route handler.
 */
export const ACCESS_TOKEN_PREFIX = "qm_pat_";
export const ACCESS_TOKEN_PATTERN = /^qm_pat_[A-Za-z0-9_-]{43}$/;
export const DEFAULT_TOKEN_DAYS = 30;
export const MAX_TOKEN_DAYS = 90;
export const MAX_ACTIVE_TOKENS = 10;
export const MAX_TOKEN_NAME_LENGTH = 64;
/** Requests a minute one token may make to GET /api/credentials. */
export const CREDENTIAL_REQUESTS_PER_MINUTE = 60;
/** botocore refreshes credentials within 15 minutes of their expiry: hand out more than that. */
export const MIN_CREDENTIAL_VALIDITY_MS = 15 * 60 * 1000;

export const createAccessTokenSchema = z.strictObject({
  name: z
    .string({ error: "Give the token a name." })
    .trim()
    .min(1, "Give the token a name.")
    .max(MAX_TOKEN_NAME_LENGTH, `A token name has at most ${MAX_TOKEN_NAME_LENGTH} characters.`)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, "A token name cannot contain control or invisible characters."),
  expiresInDays: z
    .number({ error: "The expiry is a number of days." })
    .int("The expiry is a whole number of days.")
    .min(1, "A token lives at least 1 day.")
    .max(MAX_TOKEN_DAYS, `A token lives at most ${MAX_TOKEN_DAYS} days.`)
    .default(DEFAULT_TOKEN_DAYS),
});
export type CreateAccessTokenInput = z.input<typeof createAccessTokenSchema>;

export type AccessTokenStatus = "active" | "expired" | "revoked";

export function tokenStatus(token: { revokedAt: Date | null; expiresAt: Date }, now: Date = new Date()): AccessTokenStatus {
  if (token.revokedAt) return "revoked";
  return token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

/** The bearer token of an `Authorization` header value, or null when there is none. */
export function bearerTokenOf(header: string | null): string | null {
  const match = header?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i);
  return match ? match[1]! : null;
}

/** What an AWS config profile says to fetch the credentials (see the CLI access page). */
export function credentialProcessCommand(appUrl: string, tokenFile = "~/.aws/quartermaster-token"): string {
  const url = `${appUrl.replace(/\/+$/, "")}/api/credentials`;
  // credential_process is split like a shell line but not run by a shell: sh -c gives us $(...)
  // and sends the portal's message to stderr, which is what the CLI shows when the process fails.
  return `sh -c 'out=$(curl --silent --show-error --fail-with-body -H "Authorization: Bearer $(cat ${tokenFile})" ${url}) || { echo "$out" >&2; exit 1; }; echo "$out"'`;
}
