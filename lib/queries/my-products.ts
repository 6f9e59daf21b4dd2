import { useCallback, useEffect, useRef, useState } from "react";
import { fetchJson } from "@/lib/queries/fetch-json";
import { pollEvery } from "@/lib/queries/product-watch";
import { productsChangedAt } from "@/lib/queries/product-events";
import { myProductsSearch } from "@/lib/domain/my-products";
import type { MyProductsView } from "@/lib/queries/product-keys";
import type { ProductChanges, ProductListPage } from "@/lib/services/products";

/** A list read longer ago than this is read again when the tab comes back into view. */
const FRESH_MS = 30_000;

type Pages = { search: string; pages: ProductListPage[]; readAt: number };

export type MyProductsState = {
  pages: ProductListPage[];
  status: "ready" | "loading" | "error";
  error?: string;
  hasMore: boolean;
  loadingMore: boolean;
  /** Why the last "Load more" failed, if it did (the pages already shown stay). */
  moreError?: string;
  loadMore: () => void;
};

const message = (error: unknown) => (error instanceof Error ? error.message : "Something went wrong.");

function fetchPage(search: string, cursor: string | null, signal?: AbortSignal): Promise<ProductListPage> {
  const params = new URLSearchParams(search.slice(1));
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return fetchJson<ProductListPage>(`/api/products${query ? `?${query}` : ""}`, { cache: "no-store", ...(signal ? { signal } : {}) });
}

/** The pages already loaded, read again in order (each from the cursor the one before it gives now). */
async function reread(search: string, count: number): Promise<ProductListPage[]> {
  const pages: ProductListPage[] = [];
  let cursor: string | null = null;
  do {
    const page: ProductListPage = await fetchPage(search, cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < count);
  return pages;
}

/**
 * My products in a view, a page at a time, starting from the first page the server read for the
 * view it rendered (`initialPage`, read at `readAt`). Another view (filter, sort) reads its first
 * page; "Load more" the next one. While anything is in progress it asks the cheap changes summary
 * every 2 s and reads the loaded pages again only when the summary's version moved; it also reads
 * them again when the tab comes back after 30 s, and when this tab launched or updated a product
 * since they were read (lib/queries/product-events: the Back button shows the router's old page).
 *
 * Plain fetches rather than TanStack's infinite query: the list keeps one view's pages and nothing
 * else reads them, and the query cache is 12 KB of the page's script (components/ui/query-provider).
 */
export function useMyProducts(view: MyProductsView, initial: { view: MyProductsView; page: ProductListPage; readAt: number }): MyProductsState {
  const search = myProductsSearch(view);
  // The server's clock may be ahead of this browser's: never later than now here, or the poll
  // would ignore changes until this clock caught up.
  const [data, setData] = useState<Pages>(() => ({ search: myProductsSearch(initial.view), pages: [initial.page], readAt: Math.min(initial.readAt, Date.now()) }));
  const [failure, setFailure] = useState<{ search: string; message: string } | null>(null);
  const [more, setMore] = useState<{ loading: boolean; error?: string }>({ loading: false });
  const rereading = useRef(false);
  // The pages shown, for callbacks that outlive a render (declared first: it runs before the effects below).
  const current = useRef(data);
  useEffect(() => {
    current.current = data;
  }, [data]);

  // Another view: its first page.
  useEffect(() => {
    if (current.current.search === search) return;
    const controller = new AbortController();
    setFailure(null);
    setMore({ loading: false });
    fetchPage(search, null, controller.signal).then(
      (page) => setData({ search, pages: [page], readAt: Date.now() }),
      (error: unknown) => {
        if (!controller.signal.aborted) setFailure({ search, message: message(error) });
      },
    );
    return () => controller.abort();
  }, [search]);

  /** Reads the loaded pages of the view shown again; one at a time, and dropped if the view changed meanwhile. */
  const refresh = useCallback(async () => {
    const shown = current.current;
    if (rereading.current) return;
    rereading.current = true;
    try {
      const pages = await reread(shown.search, shown.pages.length);
      if (current.current.search === shown.search) setData({ search: shown.search, pages, readAt: Date.now() });
    } catch {
      // The pages shown stay; the next poll or focus tries again.
    } finally {
      rereading.current = false;
    }
  }, []);

  const ready = data.search === search;
  const first = ready ? data.pages[0] : undefined;
  const polling = (first?.inProgress ?? 0) > 0;
  const version = first?.version;
  const readAt = data.readAt;

  // While something is in progress: has anything changed since the pages were read?
  useEffect(() => {
    if (!polling) return;
    return pollEvery(async (stopped) => {
      const asked = Date.now();
      const changes = await fetchJson<ProductChanges>("/api/products/changes", { cache: "no-store" });
      if (!stopped() && asked > readAt && changes.version !== version) await refresh();
    });
  }, [polling, version, readAt, refresh]);

  // Launched or updated from this tab after the pages were read; or back in view after a while.
  useEffect(() => {
    if (readAt < productsChangedAt()) void refresh();
    const onVisible = () => {
      if (document.visibilityState === "visible" && Date.now() - current.current.readAt > FRESH_MS) void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [readAt, refresh]);

  const last = ready ? data.pages[data.pages.length - 1] : undefined;
  const loadMore = useCallback(() => {
    const shown = current.current;
    const cursor = shown.pages[shown.pages.length - 1]?.nextCursor;
    if (!cursor) return;
    setMore({ loading: true });
    fetchPage(shown.search, cursor).then(
      (page) => {
        setMore({ loading: false });
        setData((now) => (now.search === shown.search && now.pages.length === shown.pages.length ? { ...now, pages: [...now.pages, page] } : now));
      },
      (error: unknown) => setMore({ loading: false, error: message(error) }),
    );
  }, []);

  if (!ready) return failure?.search === search ? { pages: [], status: "error", error: failure.message, hasMore: false, loadingMore: false, loadMore } : { pages: [], status: "loading", hasMore: false, loadingMore: false, loadMore };
  return { pages: data.pages, status: "ready", hasMore: Boolean(last?.nextCursor), loadingMore: more.loading, ...(more.error ? { moreError: more.error } : {}), loadMore };
}
