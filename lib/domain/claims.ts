/**
 * Turns what an OIDC provider says about a person into the portal's identity. Providers differ:
 * groups may be an array or a comma-separated string, department/project may be missing,
 * `email_verified` may be a boolean, a string or absent.
 */
export type LoginClaims = {
  issuer: string;
  subject: string;
  email: string;
  /**
   * What the provider says about the email: false only when it explicitly said it has not
   * verified it (such a login is refused); undefined when it did not say.
   */
  emailVerified?: boolean;
  name: string | null;
  department: string | null;
  project: string | null;
  groups: string[];
};

export type ClaimSource = Record<string, unknown>;

function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim());
  const single = text(value);
  return single ? single.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

/** `email_verified` as sent: a boolean, or "true"/"false" in any case; anything else is unknown. */
function flag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase();
  return word === "true" ? true : word === "false" ? false : undefined;
}

/**
 * Whether the email we use is verified: any source that sends this email (or no email) and says
 * it is not verified wins over one that says it is, so a "false" in the ID token is not hidden by
 * a /userinfo answer that leaves the claim out or contradicts it.
 */
function emailVerified(email: string, sources: (ClaimSource | undefined | null)[]): boolean | undefined {
  const said = sources
    .filter((s): s is ClaimSource => Boolean(s))
    .filter((s) => {
      const sent = text(s.email)?.toLowerCase();
      return sent === undefined || sent === email;
    })
    .map((s) => flag(s.email_verified));
  if (said.includes(false)) return false;
  return said.includes(true) ? true : undefined;
}

/** Merge claims from the ID token and /userinfo (userinfo wins where both have a value). */
export function readLoginClaims(issuer: string, ...sources: (ClaimSource | undefined | null)[]): LoginClaims {
  const merged: ClaimSource = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [key, value] of Object.entries(source)) {
      if (value !== undefined && value !== null && value !== "") merged[key] = value;
    }
  }
  const subject = text(merged.sub);
  const email = text(merged.email)?.toLowerCase() ?? null;
  if (!subject) throw new Error("The identity provider did not send a subject (sub) claim.");
  if (!email) throw new Error("The identity provider did not send an email claim; Quartermaster needs one.");
  const verified = emailVerified(email, sources);
  return {
    issuer,
    subject,
    email,
    ...(verified === undefined ? {} : { emailVerified: verified }),
    name: text(merged.name) ?? text(merged.preferred_username),
    department: text(merged.department),
    project: text(merged.project),
    groups: list(merged.groups),
  };
}

/**
 * `ADMIN_EMAILS` trusts the provider's email claim: anyone the provider lets call themselves
 * boss@example.org is an administrator. Logins whose email the provider says it has not verified
 * never get this far (they are refused), but a provider that does not verify emails at all must
 * not be combined with `ADMIN_EMAILS`.
 */
export function roleFor(claims: Pick<LoginClaims, "email" | "groups">, settings: { adminGroup: string; adminEmails: string[] }): "ADMIN" | "USER" {
  if (claims.groups.includes(settings.adminGroup)) return "ADMIN";
  if (settings.adminEmails.includes(claims.email.toLowerCase())) return "ADMIN";
  return "USER";
}
