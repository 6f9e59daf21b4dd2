import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { isSettledProductStatus } from "@/lib/domain/status";
import type { ProductDetailView, ProductSummary } from "@/lib/services/products";

const POLL_MS = 2000;

export const productKeys = {
  all: ["products"] as const,
  list: (includeTerminated: boolean) => ["products", "list", { includeTerminated }] as const,
  detail: (id: string) => ["products", "detail", id] as const,
};

/** My products; polls while anything is in progress, stops once every product has settled. */
export function myProductsQuery(includeTerminated = false) {
  return queryOptions({
    queryKey: productKeys.list(includeTerminated),
    queryFn: () => fetchJson<{ products: ProductSummary[] }>(`/api/products${includeTerminated ? "?terminated=1" : ""}`).then((r) => r.products),
    refetchInterval: (query) => (query.state.data?.some((p) => !isSettledProductStatus(p.status)) ? POLL_MS : false),
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
