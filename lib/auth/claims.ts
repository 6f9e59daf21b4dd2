/**
 * Turns what an OIDC provider says about a person into the portal's identity. Providers differ:
 * groups may be an array or a comma-separated string, department/project may be missing.
 */
export type LoginClaims = {
  issuer: string;
  subject: string;
  email: string;
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
  return {
    issuer,
    subject,
    email,
    name: text(merged.name) ?? text(merged.preferred_username),
    department: text(merged.department),
    project: text(merged.project),
    groups: list(merged.groups),
  };
}

export function roleFor(claims: Pick<LoginClaims, "email" | "groups">, settings: { adminGroup: string; adminEmails: string[] }): "ADMIN" | "USER" {
  if (claims.groups.includes(settings.adminGroup)) return "ADMIN";
  if (settings.adminEmails.includes(claims.email.toLowerCase())) return "ADMIN";
  return "USER";
}
