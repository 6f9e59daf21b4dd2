/**
 * The audit log's filters, paging cursor and CSV cells. Pure (zod only): the admin page's filter
 * form checks with the same schema the API and the export parse.
 *
 * Decisions:
 * - Filters are query parameters, so a filtered view is a URL an administrator can share:
 *   `actor` (an email, matched exactly after lower-casing as logins store it, or a user id),
 *   `action` (an exact name such as `product.launch`, or a prefix ending in `*` such as
 *   `product.*`), `targetType` and `targetId` (an id only together with its type), `outcome`,
 *   and a time range `from` (inclusive) .. `to` (exclusive), ISO 8601 with a zone (or a date,
 *   meaning midnight UTC). Times are kept as UTC ISO strings with milliseconds, the precision of
 *   the column.
 * - Every value is bounded and checked for its shape before the database is asked; a bad one is
 *   a 422 naming the field. An empty value means "no filter" (what a blank form field sends).
 * - Paging is by keyset on (createdAt, id), newest first. The cursor is opaque to clients
 *   (base64url of the key and a direction, older or newer), so a deep page costs what the first
 *   does. A cursor that does not decode is a 422, never a 500.
 * - CSV follows RFC 4180 (a cell with a comma, quote, CR or LF is quoted, quotes doubled; lines
 *   end in CRLF). A cell a spreadsheet would run as a formula (it starts with = + - @, a tab or
 *   a CR) gets a leading apostrophe, as OWASP advises: audit details carry text people typed
 *   (product names, tag values), and opening an export must not run it.
 */
import { z } from "zod";
import { quoteForMessage } from "@/lib/domain/ids";

export const AUDIT_OUTCOMES = ["SUCCESS", "FAILURE", "DENIED"] as const;
export type AuditOutcomeName = (typeof AUDIT_OUTCOMES)[number];

/** Events on one page of the admin page and the API's default. */
export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_MAX_PAGE_SIZE = 200;

const ACTION_NAME = /^[a-z0-9][a-z0-9._:-]{0,99}$/;
const TARGET_TYPE = /^[a-z0-9][a-z0-9._:-]{0,59}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A blank field is no filter; anything else must be a string (a repeated parameter arrives as its first value). */
const blankAsAbsent = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

function optionalText<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankAsAbsent, schema.optional());
}

const actorSchema = z
  .string({ error: "actor must be text" })
  .trim()
  .max(254, { error: "An actor is an email address (at most 254 characters) or a user id" })
  .transform((value, ctx) => {
    if (UUID.test(value)) return value.toLowerCase();
    const email = value.toLowerCase();
    if (z.email().safeParse(email).success) return email;
    ctx.addIssue({ code: "custom", message: `${quoteForMessage(value)} is neither an email address nor a user id` });
    return z.NEVER;
  });

const actionSchema = z
  .string({ error: "action must be text" })
  .trim()
  .toLowerCase()
  .max(101, { error: "An action name has at most 100 characters" })
  .refine((value) => ACTION_NAME.test(value.endsWith("*") ? value.slice(0, -1) : value), {
    error: (issue) => `${quoteForMessage(String(issue.input))} is not an action name: letters, digits and . _ : - (e.g. product.launch), or a prefix ending in * (e.g. product.*)`,
  });

const targetTypeSchema = z
  .string({ error: "targetType must be text" })
  .trim()
  .toLowerCase()
  .max(60, { error: "A target type has at most 60 characters" })
  .regex(TARGET_TYPE, { error: "A target type is letters, digits and . _ : - (e.g. provisioned-product)" });

const targetIdSchema = z
  .string({ error: "targetId must be text" })
  .trim()
  .max(200, { error: "A target id has at most 200 characters" })
  .refine((value) => !CONTROL_OR_INVISIBLE.test(value), { error: "A target id cannot contain control or invisible characters" });

const outcomeSchema = z.enum(AUDIT_OUTCOMES, { error: "outcome must be SUCCESS, FAILURE or DENIED" });

/** An instant with its zone (or a date: midnight UTC), as a UTC ISO string with milliseconds. */
function instantSchema(field: string) {
  return z
    .string({ error: `${field} must be text` })
    .trim()
    .max(40, { error: `${field} is a date and time such as 2026-11-25T09:00:00Z` })
    .transform((value, ctx) => {
      const zoned = z.iso.datetime({ offset: true }).safeParse(value).success;
      const date = z.iso.date().safeParse(value).success;
      const time = zoned ? Date.parse(value) : date ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
      if (Number.isNaN(time) || time < 0 || time > Date.parse("9999-12-31T23:59:59.999Z")) {
        ctx.addIssue({ code: "custom", message: `${quoteForMessage(value)} is not a date and time with its zone, such as 2026-11-25T09:00:00Z or 2026-11-25` });
        return z.NEVER;
      }
      return new Date(time).toISOString();
    });
}

/** Where a page starts: after (older than) or before (newer than) the event with this key. */
export type AuditCursor = { createdAt: string; id: string; direction: "older" | "newer" };

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function toBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string | null {
  try {
    return atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  return toBase64Url(JSON.stringify([cursor.direction === "older" ? "o" : "n", cursor.createdAt, cursor.id]));
}

export function decodeAuditCursor(value: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) return null;
  const json = fromBase64Url(value);
  if (json === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [direction, createdAt, id] = parsed as unknown[];
  if ((direction !== "o" && direction !== "n") || typeof createdAt !== "string" || typeof id !== "string") return null;
  if (!ISO_MS.test(createdAt) || Number.isNaN(Date.parse(createdAt)) || new Date(createdAt).toISOString() !== createdAt || !UUID.test(id)) return null;
  return { direction: direction === "o" ? "older" : "newer", createdAt, id: id.toLowerCase() };
}

const cursorSchema = z
  .string({ error: "cursor must be text" })
  .transform((value, ctx) => {
    const cursor = decodeAuditCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: "custom", message: "This is not a page of the audit log: follow the Older and Newer links, or start from the newest events" });
      return z.NEVER;
    }
    return cursor;
  });

const limitSchema = z
  .string({ error: "limit must be a number" })
  .regex(/^\d{1,3}$/, { error: `limit is a number of events from 1 to ${AUDIT_MAX_PAGE_SIZE}` })
  .transform(Number)
  .pipe(z.number().int().min(1, { error: `limit is at least 1` }).max(AUDIT_MAX_PAGE_SIZE, { error: `limit is at most ${AUDIT_MAX_PAGE_SIZE}` }));

const filterShape = {
  actor: optionalText(actorSchema),
  action: optionalText(actionSchema),
  targetType: optionalText(targetTypeSchema),
  targetId: optionalText(targetIdSchema),
  outcome: optionalText(outcomeSchema),
  from: optionalText(instantSchema("from")),
  to: optionalText(instantSchema("to")),
};

type FilterFields = { targetType?: string | undefined; targetId?: string | undefined; from?: string | undefined; to?: string | undefined };

function checkTogether(value: FilterFields, ctx: z.RefinementCtx) {
  if (value.targetId !== undefined && value.targetType === undefined) {
    ctx.addIssue({ code: "custom", path: ["targetType"], message: "Give the target's type with its id (e.g. provisioned-product)" });
  }
  if (value.from !== undefined && value.to !== undefined && value.from >= value.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the time range must be after its start" });
  }
}

/** The filters of the audit log (and of its CSV export). */
export const auditFilterSchema = z.object(filterShape).superRefine(checkTogether);
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** One page: the filters, where it starts and how many events. */
export const auditPageQuerySchema = z
  .object({
    ...filterShape,
    cursor: optionalText(cursorSchema),
    limit: z.preprocess(blankAsAbsent, limitSchema.optional()).transform((n) => n ?? AUDIT_PAGE_SIZE),
  })
  .superRefine(checkTogether);
export type AuditPageQuery = z.infer<typeof auditPageQuerySchema>;

/** An exact action name, or the prefix a `*` ends. */
export function actionMatch(action: string): { exact: string } | { prefix: string } {
  return action.endsWith("*") ? { prefix: action.slice(0, -1) } : { exact: action };
}

export const AUDIT_FILTER_FIELDS = ["actor", "action", "targetType", "targetId", "outcome", "from", "to"] as const;
export type AuditFilterField = (typeof AUDIT_FILTER_FIELDS)[number];
const FILTER_KEYS = AUDIT_FILTER_FIELDS;

/** The filters of a view as the form shows them (text), without paging. */
export function auditFilterValues(filter: Partial<Record<AuditFilterField, string | undefined>>): Partial<Record<AuditFilterField, string>> {
  const values: Partial<Record<AuditFilterField, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined) values[key] = value;
  }
  return values;
}

/**
 * The query string of a view, in a fixed order and without empty values: the same view always
 * gives the same URL (and the same TanStack Query key).
 */
export function auditSearchParams(query: Partial<AuditFilter> & { cursor?: AuditCursor | undefined; limit?: number | undefined }): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = query[key];
    if (value !== undefined && value !== "") params.set(key, value);
  }
  if (query.cursor) params.set("cursor", encodeAuditCursor(query.cursor));
  if (query.limit !== undefined && query.limit !== AUDIT_PAGE_SIZE) params.set("limit", String(query.limit));
  return params;
}

/** Whether any filter is set (paging aside). */
export function hasAuditFilter(filter: Partial<AuditFilter>): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== undefined);
}

// ---------------------------------------------------------------- CSV

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: formula-like text defused with a leading apostrophe, then quoted when needed. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
