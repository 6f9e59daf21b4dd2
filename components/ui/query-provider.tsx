"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

const newQueryClient = () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: true } } });

/** One query cache per browser tab, shared by every part of the portal that uses TanStack Query. */
let browserClient: QueryClient | undefined;

/**
 * TanStack Query's client, for the parts of the portal that keep data in the browser (the admin
 * pages, CLI tokens, My products, the product page's dialogs and Sharing panel), rather than for
 * every page from the root layout: the pages rendered on the server with small islands (catalog,
 * launch form, product page) then do not carry the query cache's 10 KB. In the browser every
 * provider hands out the same client, so one part's invalidation reaches the others; on the
 * server each render has its own (a request must never see another's data).
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(() => (typeof window === "undefined" ? newQueryClient() : (browserClient ??= newQueryClient())));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
