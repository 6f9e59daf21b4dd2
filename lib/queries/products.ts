import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { isSettledProductStatus } from "@/lib/domain/status";
import { myProductsSearch, type MyProductSort } from "@/lib/domain/my-products";
import type { ProductChanges, ProductDetailView, ProductListPage } from "@/lib/services/products";

const POLL_MS = 2000;

/** The list's view: what the URL of My products carries. */
export type MyProductsView = { q?: string; sort: MyProductSort; terminated?: "1"; limit?: number };

export const productKeys = {
  all: ["products"] as const,
  lists: ["products", "list"] as const,
  list: (view: MyProductsView) => ["products", "list", { q: view.q ?? "", sort: view.sort, terminated: view.terminated === "1", limit: view.limit ?? null }] as const,
  changes: ["products", "changes"] as const,
  detail: (id: string) => ["products", "detail", id] as const,
};

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

export function productQuery(id: string) {
  return queryOptions({
    queryKey: productKeys.detail(id),
    queryFn: () => fetchJson<ProductDetailView>(`/api/products/${encodeURIComponent(id)}`),
    // While AWS works, or a transfer runs (its first step leaves the status as it is).
    refetchInterval: (query) => (query.state.data && (!isSettledProductStatus(query.state.data.status) || query.state.data.transfer?.status === "RUNNING") ? POLL_MS : false),
  });
}
