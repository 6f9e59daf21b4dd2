import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { requireUser } from "@/lib/auth/session";
import { listMyProducts } from "@/lib/services/products";
import type { MyProductsView } from "@/lib/queries/product-keys";
import { MY_PRODUCTS_PAGE_SIZE } from "@/lib/domain/my-products";
import { myProductsQuerySchema } from "@/lib/domain/my-products-query";
import { firstValues } from "@/lib/domain/admin-filters";
import { buttonClasses } from "@/components/ui/button";
import { ProductList } from "@/components/products/product-list";
import { SharedWithMe } from "@/components/products/shared-with-me";
import { listSharedWithMe } from "@/lib/services/sharing";
import { SHARED_WITH_ME_PREVIEW } from "@/lib/domain/shared-with-me";

export const metadata: Metadata = { title: "My products" };

export default async function MyProductsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  // The view in the address (filter, sort, terminated); an address the portal would not write
  // shows the default view and says which part it ignored.
  const parsed = myProductsQuerySchema.safeParse(firstValues(await searchParams));
  const { cursor: _ignored, ...query } = parsed.success ? parsed.data : myProductsQuerySchema.parse({});
  const view: MyProductsView = { sort: query.sort, ...(query.q ? { q: query.q } : {}), ...(query.terminated === "1" ? { terminated: "1" } : {}), ...(query.limit !== MY_PRODUCTS_PAGE_SIZE ? { limit: query.limit } : {}) };
  // The first page on the server; the client pages and refetches from it.
  const readAt = Date.now();
  const [firstPage, shared] = await Promise.all([listMyProducts(user, query), listSharedWithMe(user, { limit: SHARED_WITH_ME_PREVIEW })]);
  return (
    <>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">My products</h1>
          <p className="mt-1 text-sm text-slate-600">Resources you launched, as {user.email}.</p>
        </div>
        <IntentLink href="/catalog" className={buttonClasses("primary")}>
          Browse the catalog
        </IntentLink>
      </div>
      {parsed.success ? null : (
        <p role="alert" className="mt-4 text-sm text-amber-800">
          Showing the default view: {parsed.error.issues.map((i) => i.message).join("; ")}.
        </p>
      )}
      <ProductList initialView={view} initialPage={firstPage} readAt={readAt} />
      <SharedWithMe page={shared} />
    </>
  );
}
