/**
 * Sharing a product (a bucket) with other AWS principals through its sharing parameter
 * (SHARING_PARAMETER, e.g. `S3UserARNs`: a CommaDelimitedList of principal ARNs the template's
 * bucket policy grants read/write).
 *
 * Decisions:
 * - One set of rules for the Sharing panel, the launch and update forms and the server (hooked
 *   into `provisionRequestSchema`), so what the panel accepts the server accepts, in the same words.
 * - A shared principal is one person or workload: an IAM user, an IAM role or an STS assumed-role
 *   session (checkPrincipalArn). An account's root is refused: it would grant the whole account,
 *   which is not "sharing with a colleague". Wildcards are refused anywhere in the entry.
 * - Accounts: only those in SHARING_ALLOWED_ACCOUNTS (default: the portal's own account, from
 *   the end-user role's ARN). `*` allows any account, which lets data leave the organisation.
 * - The owner always has access through the owner-bound parameter, so their own principal is
 *   never a shared one (the panel drops it with a note; the server refuses it).
 * - Size: S3 refuses a bucket policy over 20 KB. The catalog's bucket templates name each shared
 *   principal in two statements (list, read/write) besides about 2 KB of fixed policy; counting
 *   each principal as a 200-byte ARN (IAM allows longer role paths, people rarely use them) plus
 *   its quotes and comma, twice, leaves room for `maxSharedPrincipals()` principals. Past it the
 *   message says how many fit.
 */
import { checkPrincipalArn, type PrincipalArn } from "./arn";
import type { SharingRules } from "./shared-list";

export { isSharingParameter, sharedListOf, shareChanges, type SharingRules } from "./shared-list";

export const DEFAULT_SHARING_PARAMETER = "S3UserARNs";

/** S3's limit on a bucket policy. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;
/** The templates' policy without any shared principal (about 2 KB; counted with room to spare). */
export const POLICY_FIXED_BYTES = 3 * 1024;
/** Statements of the templates' policy that name every shared principal. */
export const STATEMENTS_PER_PRINCIPAL = 2;
/** Bytes counted for one principal in one statement: a long ARN, its quotes, comma and spaces. */
export const BYTES_PER_PRINCIPAL_ENTRY = 200 + 4;

export function maxSharedPrincipals(): number {
  return Math.floor((BUCKET_POLICY_MAX_BYTES - POLICY_FIXED_BYTES) / (STATEMENTS_PER_PRINCIPAL * BYTES_PER_PRINCIPAL_ENTRY));
}

/** SHARING_ALLOWED_ACCOUNTS as set (empty: the end-user role's account; `*`: any). */
export function allowedAccountsFrom(setting: readonly string[], endUserRoleArn: string): readonly string[] | "any" {
  if (setting.includes("*")) return "any";
  if (setting.length > 0) return setting;
  const account = /^arn:[a-z-]+:iam::(\d{12}):/.exec(endUserRoleArn)?.[1];
  return account ? [account] : [];
}

function shown(input: string): string {
  const s = input.trim();
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export type SharedPrincipalCheck = { ok: true; arn: string; principal: PrincipalArn } | { ok: false; message: string };

/** Whether one entry may be shared with, by these rules; the message names the entry and the rule. */
export function checkSharedPrincipal(input: string, rules: Pick<SharingRules, "allowedAccounts" | "ownerPrincipalArn">): SharedPrincipalCheck {
  const arn = input.trim();
  if (arn === "") return { ok: false, message: "The entry is empty: enter an ARN" };
  if (/[*?]/.test(arn)) return { ok: false, message: `"${shown(arn)}" cannot be given access: wildcards ("*", "?") are not allowed anywhere: name one user or role` };
  const checked = checkPrincipalArn(arn);
  if (!checked.ok) return { ok: false, message: checked.message };
  const principal = checked.principal;
  if (principal.kind === "root") {
    return { ok: false, message: `"${shown(arn)}" cannot be given access: it is the root of account ${principal.account}, which would share with everyone in that account; enter the ARN of an IAM user or role` };
  }
  if (rules.allowedAccounts !== "any" && !rules.allowedAccounts.includes(principal.account)) {
    const allowed = rules.allowedAccounts.length === 0 ? "no account is allowed" : `allowed: ${rules.allowedAccounts.join(", ")}`;
    return { ok: false, message: `"${shown(arn)}" is in account ${principal.account}, which this portal does not share with (${allowed})` };
  }
  if (rules.ownerPrincipalArn && arn === rules.ownerPrincipalArn) {
    return { ok: false, message: `"${shown(arn)}" is the owner, who always has access: leave it out` };
  }
  return { ok: true, arn, principal };
}

export type ListIssue = { index: number | null; message: string };

/** Issues of a whole list (the sharing parameter's value): each entry, duplicates, and the size limit. */
export function sharedListIssues(items: readonly string[], rules: Pick<SharingRules, "allowedAccounts" | "ownerPrincipalArn">): ListIssue[] {
  const issues: ListIssue[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const checked = checkSharedPrincipal(item, rules);
    if (!checked.ok) issues.push({ index, message: `Entry ${index + 1}: ${checked.message}` });
    else if (seen.has(checked.arn)) issues.push({ index, message: `Entry ${index + 1}: "${shown(checked.arn)}" is listed twice` });
    seen.add(item.trim());
  });
  const limitIssue = sizeLimitIssue(items.length);
  if (limitIssue) issues.push({ index: null, message: limitIssue });
  return issues;
}

export function sizeLimitIssue(count: number): string | null {
  const max = maxSharedPrincipals();
  if (count <= max) return null;
  return `Too many principals: the bucket policy must stay under S3's 20 KB, so at most ${max} principals fit (this list has ${count})`;
}

/** Entries as pasted: separated by commas, spaces or new lines. */
export function splitEntries(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

export type ShareByArnResult = {
  /** Entries that can be added, in the order pasted. */
  add: string[];
  /** Refused entries, each with its own message. */
  refused: { entry: string; message: string }[];
  /** Entries dropped without harm (duplicates, the owner), said once each. */
  notes: string[];
};

/** What pasting `text` adds to a list that already holds `current` (the panel's "Share by ARN"). */
export function entriesToAdd(text: string, current: readonly string[], rules: Pick<SharingRules, "allowedAccounts" | "ownerPrincipalArn">): ShareByArnResult {
  const result: ShareByArnResult = { add: [], refused: [], notes: [] };
  const have = new Set(current);
  for (const entry of splitEntries(text)) {
    if (rules.ownerPrincipalArn && entry === rules.ownerPrincipalArn) {
      result.notes.push(`${shown(entry)} is the owner, who always has access: left out`);
      continue;
    }
    if (have.has(entry)) {
      result.notes.push(`${shown(entry)} ${current.includes(entry) ? "already has access" : "was listed twice"}: added once`);
      continue;
    }
    const checked = checkSharedPrincipal(entry, rules);
    if (!checked.ok) {
      result.refused.push({ entry, message: checked.message });
      continue;
    }
    have.add(entry);
    result.add.push(entry);
  }
  const limit = sizeLimitIssue(current.length + result.add.length);
  if (limit) {
    const room = Math.max(0, maxSharedPrincipals() - current.length);
    result.refused.push({ entry: "", message: `${limit}; ${room === 0 ? "no more can be added" : `only ${room} more can be added`}` });
    result.add = [];
  }
  return result;
}

export type PrincipalDescription = {
  arn: string;
  kind: "IAM user" | "IAM role" | "assumed-role session" | "account root" | "unknown";
  account: string | null;
  /** Outside the portal's own account. */
  otherAccount: boolean;
};

/** How the panel names a principal that is not a portal user. */
export function describePrincipal(arn: string, ownAccount: string | null): PrincipalDescription {
  const checked = checkPrincipalArn(arn);
  if (!checked.ok) return { arn, kind: "unknown", account: null, otherAccount: false };
  const p = checked.principal;
  const kind = p.kind === "user" ? "IAM user" : p.kind === "role" ? "IAM role" : p.kind === "assumed-role" ? "assumed-role session" : "account root";
  return { arn, kind, account: p.account, otherAccount: ownAccount !== null && p.account !== ownAccount };
}
