import "server-only";
import { ValidationError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "@/lib/domain/admin-filters";
import { Prisma } from "@/generated/prisma/client";

/**
 * Keyset paging shared by every list that can grow (My products, the admin lists): the cursor is
 * the sort value and id of the last row shown, so page 500 costs what page 1 costs.
 */
export type Page<T> = { items: T[]; nextCursor: string | null; total: number };

/**
 * A timestamp column as `Date.toISOString()` writes it (the columns hold UTC to the millisecond),
 * made by PostgreSQL: a list of 50 rows then creates no Date objects to turn back into text.
 */
export const isoTimestamp = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A keyset page from `limit + 1` rows: the extra one only says there is a next page. */
export function pageOf<R extends { id: string; sort_value: string }, T>(rows: R[], limit: number, total: number, toItem: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toItem), nextCursor: rows.length > limit && last ? encodeCursor(last.sort_value, last.id) : null, total };
}

/** The position a cursor stands for; a cursor the portal did not give is the caller's mistake. */
export function cursorOf(cursor: string | undefined): { value: string | null; id: string } | null {
  if (!cursor) return null;
  const decoded = decodeCursor(cursor);
  if (!decoded) throw new ValidationError("cursor: not a cursor the portal gave; start from the first page", [{ path: "cursor", message: "Not a cursor the portal gave; start from the first page" }]);
  return decoded;
}

/** `%`, `_` and `\` match literally in a LIKE pattern once escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
