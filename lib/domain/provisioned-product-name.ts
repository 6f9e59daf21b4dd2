/**
 * The name a researcher gives a provisioned product, under AWS's rule
 * `^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$`.
 *
 * Uniqueness: Service Catalog refuses a second provisioned product with the same name in the
 * account, but only once the call is made. The form checks against the names it knows; names are
 * compared case-insensitively, because "My-Bucket" next to "my-bucket" in the same list is
 * confusing even where AWS would accept it.
 */
import { z } from "zod";

export const PROVISIONED_PRODUCT_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$/;
export const PROVISIONED_PRODUCT_NAME_MAX_LENGTH = 128;

const NAME_DISALLOWED = /[^a-zA-Z0-9._-]/g;

/** Why `name` breaks the naming rule, in plain words, or null when it is fine. */
export function provisionedProductNameIssue(name: string): string | null {
  if (name === "") return "Name is required";
  if (name.length > PROVISIONED_PRODUCT_NAME_MAX_LENGTH) {
    return `Name is ${name.length} characters long: AWS allows at most ${PROVISIONED_PRODUCT_NAME_MAX_LENGTH}`;
  }
  const bad = [...new Set(name.match(NAME_DISALLOWED) ?? [])];
  if (bad.length > 0) {
    const shown = bad.map((c) => (c === " " ? "spaces" : `"${c}"`)).join(", ");
    return `Name may only contain letters, digits, dots, underscores and hyphens (not ${shown})`;
  }
  if (!/^[a-zA-Z0-9]/.test(name)) return "Name must start with a letter or a digit";
  return null;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function isProvisionedProductNameTaken(name: string, existingNames: Iterable<string>): boolean {
  for (const existing of existingNames) if (sameName(existing, name)) return true;
  return false;
}

/** The naming rule alone. Surrounding spaces are trimmed first. */
export const provisionedProductNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .superRefine((name, ctx) => {
    const issue = provisionedProductNameIssue(name);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });

/**
 * The naming rule plus uniqueness among `existingNames` (the user's products, or the account's
 * when the server knows them). For an update, leave the product's own name out of the list.
 */
export function uniqueProvisionedProductNameSchema(existingNames: Iterable<string>) {
  const names = [...existingNames];
  return provisionedProductNameSchema.superRefine((name, ctx) => {
    if (provisionedProductNameIssue(name) === null && isProvisionedProductNameTaken(name, names)) {
      ctx.addIssue({ code: "custom", message: `Name "${name}" is already used by another product: choose a different name` });
    }
  });
}

/**
 * A valid, unused name to pre-fill the launch form: the product name in lower case with anything
 * outside the rule turned into "-", then "-2", "-3"… until it is free.
 */
export function suggestName(productName: string, existingNames: Iterable<string>): string {
  const names = [...existingNames];
  let base = productName
    .trim()
    .toLowerCase()
    .replace(NAME_DISALLOWED, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/[-._]+$/, "");
  if (base === "") base = "product";
  base = base.slice(0, PROVISIONED_PRODUCT_NAME_MAX_LENGTH);
  if (!isProvisionedProductNameTaken(base, names)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, PROVISIONED_PRODUCT_NAME_MAX_LENGTH - suffix.length) + suffix;
    if (!isProvisionedProductNameTaken(candidate, names)) return candidate;
  }
}
