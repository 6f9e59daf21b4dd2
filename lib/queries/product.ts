import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { isSettledProductStatus } from "@/lib/domain/status";
import { productKeys } from "@/lib/queries/product-keys";
import type { ProductDetailView } from "@/lib/services/products";

/**
 * One product's query, apart from `lib/queries/products` (My products' list and its changes
 * poll), so a page that shows one product does not carry the list's view and paging code.
 */

export const POLL_MS = 2000;

export function productQuery(id: string) {
  return queryOptions({
    queryKey: productKeys.detail(id),
    queryFn: () => fetchJson<ProductDetailView>(`/api/products/${encodeURIComponent(id)}`),
    // While AWS works, or a transfer runs (its first step leaves the status as it is).
    refetchInterval: (query) => (query.state.data && (!isSettledProductStatus(query.state.data.status) || query.state.data.transfer?.status === "RUNNING") ? POLL_MS : false),
  });
}
