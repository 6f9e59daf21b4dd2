/**
 * "Shared with me" as the URL carries it (`/products/shared?cursor=…&limit=…`).
 *
 * Decisions:
 * - Newest share first, paged by cursor (keyset on when it was shared and the product's id), 50 a
 *   page by default (the admin lists' paging), at most 100: nothing shared is ever out of reach,
 *   however many there are.
 * - My products shows the first SHARED_WITH_ME_PREVIEW of them and links to the whole list.
 */
import { z } from "zod";
import { paging } from "./admin-filters";

export const SHARED_WITH_ME_PREVIEW = 10;

export const sharedWithMeQuerySchema = z.object({ cursor: paging.cursor, limit: paging.limit });
export type SharedWithMeQuery = z.infer<typeof sharedWithMeQuerySchema>;
