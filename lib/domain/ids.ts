/**
 * The shapes of the ids people and API clients send, checked before anything else: before the
 * database is asked and before any AWS call.
 *
 * Decisions:
 * - Service Catalog ids are a prefix and 13 lower-case letters or digits: `prod-…` (product),
 *   `pa-…` (provisioning artifact, i.e. version), `lpv2-…`/`lpv3-…` (launch path). That is what
 *   AWS issues. Its API model allows more (1..100 of `[a-zA-Z0-9_-]`), but the portal only ever
 *   forwards ids it got from AWS, so anything else is mistyped or forged: refusing it here costs
 *   no AWS call and no database query.
 * - The portal's own rows are UUIDs.
 * - Messages never repeat the value in full: at most 40 characters, control and invisible
 *   characters shown as escapes, so a 100 KB or NUL-laden id cannot come back in a response.
 */
import { z } from "zod";

const SERVICE_CATALOG_ID = {
  product: { pattern: /^prod-[a-z0-9]{13}$/, what: "a product", example: "prod-abcdefghij123" },
  version: { pattern: /^pa-[a-z0-9]{13}$/, what: "a product version", example: "pa-abcdefghij123" },
  launchPath: { pattern: /^lpv[23]-[a-z0-9]{13}$/, what: "a launch path", example: "lpv3-abcdefghij123" },
} as const;

export type ServiceCatalogIdKind = keyof typeof SERVICE_CATALOG_ID;

/** A value as it may be shown back to a person: short, printable. */
export function quoteForMessage(value: string, max = 40): string {
  const chars = Array.from(value);
  const shown = chars
    .slice(0, max)
    .map((c) => (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(c) ? `\\u{${c.codePointAt(0)!.toString(16)}}` : c))
    .join("");
  return `"${shown}${chars.length > max ? "…" : ""}"`;
}

export function isServiceCatalogId(kind: ServiceCatalogIdKind, value: string): boolean {
  return SERVICE_CATALOG_ID[kind].pattern.test(value);
}

/** Why `value` is not an id of this kind, or null when it is one. */
export function serviceCatalogIdIssue(kind: ServiceCatalogIdKind, value: string): string | null {
  const { what, example } = SERVICE_CATALOG_ID[kind];
  if (value === "") return `Choose ${what}`;
  if (isServiceCatalogId(kind, value)) return null;
  return `${quoteForMessage(value)} is not the id of ${what} (expected an id like ${example})`;
}

/** A Service Catalog id from a body, URL or query string; "" reads "Choose …". */
export function serviceCatalogIdSchema(kind: ServiceCatalogIdKind) {
  const { what } = SERVICE_CATALOG_ID[kind];
  return z.string({ error: `Choose ${what}` }).superRefine((value, ctx) => {
    const issue = serviceCatalogIdIssue(kind, value);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });
}

/** The portal's own rows (provisioned products, records, users) are UUIDs. */
export function isRowId(value: string): boolean {
  return z.uuid().safeParse(value).success;
}

export function rowIdSchema(what: string) {
  return z.string().refine(isRowId, { error: (issue) => `${quoteForMessage(String(issue.input))} is not the id of ${what} (ids are UUIDs)` });
}
