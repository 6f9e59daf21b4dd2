/**
 * "My products" as the URL carries it (`/products?q=…&sort=…&terminated=1`, and the same query on
 * `GET /api/products`): one schema for the page, the API and the list's controls.
 *
 * Decisions:
 * - Paged by cursor (keyset on the sort column and the id), 50 a page by default, at most 100:
 *   someone with 2,000 products gets the first page as fast as someone with 5, and "Load more"
 *   costs what the first page cost.
 * - Each sort has one direction people expect: newest first, most recently changed first, names
 *   A to Z, statuses in lifecycle order (in progress first, terminated last).
 * - The free text matches the product's name, the catalog product's name or the version's name,
 *   ignoring case, anywhere in them.
 */
// No zod here: the list's client code imports these, and the schema (my-products-query.ts) stays
// out of its bundle.

export const MY_PRODUCT_SORTS = { created: "Newest first", updated: "Recently changed", name: "Name", status: "Status" } as const;
export type MyProductSort = keyof typeof MY_PRODUCT_SORTS;

export const MY_PRODUCTS_PAGE_SIZE = 50;

/** What the URL carries; checked by myProductsQuerySchema (my-products-query.ts). */
export type MyProductsQuery = { q?: string; sort: MyProductSort; terminated?: "0" | "1"; cursor?: string; limit: number };

export function myProductSortDirection(sort: MyProductSort): "asc" | "desc" {
  return sort === "created" || sort === "updated" ? "desc" : "asc";
}

/** The list's view of the URL without paging, defaults and blanks: what the page links keep. */
export function myProductsSearch(query: Partial<Pick<MyProductsQuery, "q" | "sort" | "terminated" | "limit">>): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.sort && query.sort !== "created") params.set("sort", query.sort);
  if (query.terminated === "1") params.set("terminated", "1");
  if (query.limit && query.limit !== MY_PRODUCTS_PAGE_SIZE) params.set("limit", String(query.limit));
  const s = params.toString();
  return s ? `?${s}` : "";
}
