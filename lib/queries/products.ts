import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { PRODUCT_POLL_MS as POLL_MS } from "@/lib/queries/product-watch";
import { productKeys, type MyProductsView } from "@/lib/queries/product-keys";
import { myProductsSearch } from "@/lib/domain/my-products";
import type { ProductChanges, ProductListPage } from "@/lib/services/products";

/**
 * My products, a page at a time ("Load more" fetches the next cursor). It does not poll itself:
 * `myProductChangesQuery` does, cheaply, and the list refetches only when that says something changed.
 */
export function myProductsQuery(view: MyProductsView) {
  const search = myProductsSearch(view);
  return infiniteQueryOptions({
    queryKey: productKeys.list(view),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams(search.slice(1));
      if (pageParam) params.set("cursor", pageParam);
      const query = params.toString();
      return fetchJson<ProductListPage>(`/api/products${query ? `?${query}` : ""}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** While something is in progress: has anything of mine changed? (One index-only query; no rows.) */
export function myProductChangesQuery(polling: boolean) {
  return queryOptions({
    queryKey: productKeys.changes,
    queryFn: () => fetchJson<ProductChanges>("/api/products/changes"),
    enabled: polling,
    refetchInterval: (query) => (polling && (query.state.data?.inProgress ?? 1) > 0 ? POLL_MS : false),
  });
}
