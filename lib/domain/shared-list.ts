/**
 * The light half of sharing's rules: which parameter holds the list, the list as stored, and what
 * changes between two lists. No ARN parsing here, so the pages that only show or diff a list (the
 * product page, the launch form) do not carry the ARN checks in their first load; `./sharing`
 * (which re-exports these) has the checks.
 */

export type SharingRules = {
  /** The template parameter that lists the shared principals. */
  key: string;
  /** Accounts principals may belong to; "any" when SHARING_ALLOWED_ACCOUNTS is `*`. */
  allowedAccounts: readonly string[] | "any";
  /** The owner's principal (owner-bound): never a shared one. Unknown on a launch form before sign-in. */
  ownerPrincipalArn?: string | null;
};

export function isSharingParameter(key: string, sharingKey: string | undefined): boolean {
  return sharingKey !== undefined && key.toLowerCase() === sharingKey.toLowerCase();
}

/** A list parameter's value as stored (a list, or "a,b" as AWS returns it). */
export function sharedListOf(value: string | readonly string[] | undefined | null): string[] {
  if (value === undefined || value === null) return [];
  return (typeof value === "string" ? value.split(",") : [...value]).map((s) => s.trim()).filter(Boolean);
}

/** Who gains and who loses access between two lists. */
export function shareChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((a) => !before.includes(a)), removed: before.filter((b) => !after.includes(b)) };
}
