/** The schema of My products' URL query (lib/domain/my-products.ts has the decisions). */
import { z } from "zod";
import { blankIsAbsent, optional, paging, text } from "./admin-filters";
import { MY_PRODUCT_SORTS, MY_PRODUCTS_PAGE_SIZE, type MyProductSort, type MyProductsQuery } from "./my-products";

export const myProductsQuerySchema = z.object({
  q: optional(text("q", 128)),
  sort: z.preprocess(
    blankIsAbsent,
    z.enum(Object.keys(MY_PRODUCT_SORTS) as [MyProductSort, ...MyProductSort[]], { error: `sort is one of ${Object.keys(MY_PRODUCT_SORTS).join(", ")}` }).default("created"),
  ),
  terminated: optional(z.enum(["0", "1"], { error: 'terminated must be "1" (include terminated products) or "0"' })),
  cursor: paging.cursor,
  limit: z.preprocess(blankIsAbsent, z.coerce.number({ error: "limit must be a number" }).int().min(1, "limit is at least 1").max(100, "limit is at most 100").default(MY_PRODUCTS_PAGE_SIZE)),
});

// The hand-written type and the schema's output stay one shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<z.infer<typeof myProductsQuerySchema>, MyProductsQuery> = true;
void sameShape;
