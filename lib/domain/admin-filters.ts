/**
 * The admin lists' filters, sort and paging, as the URL carries them (so a filtered view can be
 * shared): one schema for the pages, the API and the filter form's links.
 *
 * Decisions:
 * - Paging is by cursor (keyset), at most 100 rows a page: page 500 costs what page 1 costs.
 * - An empty parameter (a cleared field of the filter form) means "no filter".
 * - Without a status filter the products list shows live products; `status=TERMINATED` shows the
 *   terminated ones.
 * - Department and project are the owner's (what the reserved tags carry), matched exactly; the
 *   free text matches anywhere in the product's name, ignoring case.
 */
import { z } from "zod";
import { serviceCatalogIdSchema } from "./ids";

export const STORED_PRODUCT_STATUSES = ["PENDING", "UNDER_CHANGE", "AVAILABLE", "TAINTED", "ERROR", "TERMINATED"] as const;

export const PRODUCT_SORTS = { created: "Launched", name: "Name", status: "Status", owner: "Owner", updated: "Last change" } as const;
export type ProductSort = keyof typeof PRODUCT_SORTS;

export const USER_SORTS = { email: "Email", lastLogin: "Last login", name: "Name" } as const;
export type UserSort = keyof typeof USER_SORTS;

export const MAX_PAGE_SIZE = 100;
/** A page's rows when the URL does not say. */
export const DEFAULT_PAGE_SIZE = 50;

export const blankIsAbsent = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsAbsent, schema.optional());
export const text = (what: string, max: number) => z.string().trim().max(max, `${what} is at most ${max} characters`);

export const paging = {
  // Checked whole here (it decodes to a position), so a page shows a stale or edited cursor as
  // the filter error it is rather than failing; the services check it again (paging.ts).
  cursor: optional(
    z
      .string()
      .max(512, "cursor is not one the portal gave")
      .regex(/^[A-Za-z0-9_-]+$/, "cursor is not one the portal gave")
      .refine((cursor) => decodeCursor(cursor) !== null, "cursor is not one the portal gave; start from the first page"),
  ),
  limit: z.preprocess(blankIsAbsent, z.coerce.number({ error: "limit must be a number" }).int().min(1).max(MAX_PAGE_SIZE, `limit is at most ${MAX_PAGE_SIZE}`).default(DEFAULT_PAGE_SIZE)),
  dir: optional(z.enum(["asc", "desc"], { error: 'dir is "asc" or "desc"' })),
};

export const productFilterSchema = z.object({
  /** The owner's user id, or their email. */
  owner: optional(text("owner", 320)),
  product: optional(serviceCatalogIdSchema("product")),
  status: optional(z.enum(STORED_PRODUCT_STATUSES, { error: `status is one of ${STORED_PRODUCT_STATUSES.join(", ")}` })),
  department: optional(text("department", 256)),
  project: optional(text("project", 256)),
  q: optional(text("q", 128)),
  /** "active": a transfer holds the product; "incomplete": one stopped and waits for an admin. */
  transfer: optional(z.enum(["active", "incomplete"], { error: 'transfer is "active" or "incomplete"' })),
  sort: z.preprocess(blankIsAbsent, z.enum(Object.keys(PRODUCT_SORTS) as [ProductSort, ...ProductSort[]], { error: `sort is one of ${Object.keys(PRODUCT_SORTS).join(", ")}` }).default("created")),
  ...paging,
});
export type ProductFilter = z.infer<typeof productFilterSchema>;

export const userFilterSchema = z.object({
  q: optional(text("q", 128)),
  role: optional(z.enum(["USER", "ADMIN"], { error: 'role is "USER" or "ADMIN"' })),
  status: optional(z.enum(["active", "deactivated"], { error: 'status is "active" or "deactivated"' })),
  sort: z.preprocess(blankIsAbsent, z.enum(Object.keys(USER_SORTS) as [UserSort, ...UserSort[]], { error: `sort is one of ${Object.keys(USER_SORTS).join(", ")}` }).default("email")),
  ...paging,
});
export type UserFilter = z.infer<typeof userFilterSchema>;

/** Newest first for dates, A to Z otherwise, unless the URL says. */
export function sortDirection(sort: ProductSort | UserSort, dir: "asc" | "desc" | undefined): "asc" | "desc" {
  return dir ?? (sort === "created" || sort === "updated" || sort === "lastLogin" ? "desc" : "asc");
}

/** The URL query of a filter, without defaults and blanks, e.g. for links that keep it. */
export function filterQuery(filter: Record<string, string | number | undefined>, defaults: Record<string, string | number> = { sort: "created", limit: DEFAULT_PAGE_SIZE }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === "" || defaults[key] === value) continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Opaque keyset cursor: the sort value and id of the last row shown. */
export function encodeCursor(value: string | null, id: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify([value, id]));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): { value: string | null; id: string } | null {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [value, id] = parsed;
    if ((value !== null && typeof value !== "string") || typeof id !== "string" || !z.uuid().safeParse(id).success) return null;
    return { value, id };
  } catch {
    return null;
  }
}

/** A page's search params as the filter schemas read them: the first value of each. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}
