/** The keys of every product query, alone: forms that only invalidate them carry nothing else. */
import type { MyProductSort } from "@/lib/domain/my-products";

/** The list's view: what the URL of My products carries. */
export type MyProductsView = { q?: string; sort: MyProductSort; terminated?: "1"; limit?: number };

export const productKeys = {
  all: ["products"] as const,
  detail: (id: string) => ["products", "detail", id] as const,
};
