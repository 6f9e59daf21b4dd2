"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { DataTable, LinkRowHeader, Row } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useMyProducts } from "@/lib/queries/my-products";
import type { MyProductsView } from "@/lib/queries/product-keys";
import { settledNotice } from "@/lib/domain/status";
import { MY_PRODUCT_SORTS, myProductsSearch, type MyProductSort } from "@/lib/domain/my-products";
import type { ProductListItem, ProductListPage } from "@/lib/services/products";

/** Toast once when a product that was in progress settles. */
function useSettledToasts(products: ProductListItem[]) {
  const toast = useToast();
  const previous = useRef(new Map<string, string>());
  useEffect(() => {
    for (const p of products) {
      const notice = settledNotice(previous.current.get(p.id), p);
      if (notice) toast.show(notice);
      previous.current.set(p.id, p.status);
    }
  }, [products, toast]);
}

/** Keeps the view in the address bar (no navigation, no server round trip), so it can be shared and survives a reload. */
function useViewInAddress(view: MyProductsView) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.history.replaceState(null, "", `${window.location.pathname}${myProductsSearch(view)}`);
  }, [view]);
}

/** My products in the view of the address, starting from the first page the server read for it (`initialPage`). */
export function ProductList({ initialView, initialPage, readAt }: { initialView: MyProductsView; initialPage: ProductListPage; /** When the server read it (ms). */ readAt: number }) {
  const [view, setView] = useState<MyProductsView>(initialView);
  const [text, setText] = useState(initialView.q ?? "");
  const list = useMyProducts(view, { view: initialView, page: initialPage, readAt });
  const products = useMemo(() => list.pages.flatMap((p) => p.items), [list.pages]);
  const first = list.pages[0];
  useSettledToasts(products);
  useViewInAddress(view);

  // The text filter asks the server once typing pauses.
  useEffect(() => {
    const q = text.trim() || undefined;
    if (q === view.q) return;
    const timer = setTimeout(() => setView((v) => ({ ...v, q })), 300);
    return () => clearTimeout(timer);
  }, [text, view.q]);

  const filtered = Boolean(view.q) || view.terminated === "1";

  return (
    <div className="mt-6">
      <div className="flex flex-wrap items-end gap-4" role="search" aria-label="Filter my products">
        <div>
          <label htmlFor="product-filter" className="block text-sm font-medium text-slate-700">
            Filter
          </label>
          <input id="product-filter" type="search" value={text} maxLength={128} onChange={(e) => setText(e.target.value)} className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-2 text-sm" placeholder="Name, product or version" />
        </div>
        <div>
          <label htmlFor="product-sort" className="block text-sm font-medium text-slate-700">
            Sort by
          </label>
          <select id="product-sort" value={view.sort} onChange={(e) => setView((v) => ({ ...v, sort: e.target.value as MyProductSort }))} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
            {Object.entries(MY_PRODUCT_SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={view.terminated === "1"} onChange={(e) => setView((v) => ({ ...v, terminated: e.target.checked ? "1" : undefined }))} />
          Show terminated
        </label>
        <p role="status" className="pb-2 text-sm text-slate-600">
          {first?.inProgress ? `${first.inProgress} in progress — this list updates by itself.` : ""}
        </p>
      </div>

      {list.status === "loading" ? (
        <p role="status" className="mt-8 text-sm text-slate-600">
          Loading your products…
        </p>
      ) : list.status === "error" ? (
        <p role="alert" className="mt-8 text-sm text-red-700">
          Could not load your products: {list.error}
        </p>
      ) : products.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <h2 className="text-lg font-semibold text-slate-800">{filtered ? "No product matches the filter" : "Nothing launched yet"}</h2>
          <p className="mt-2 text-sm text-slate-600">Products you launch from the catalog will appear here with their status.</p>
        </div>
      ) : (
        <>
          <DataTable className="mt-6" caption="Your provisioned products" columns={["Name", "Status", "Product", "Created", "Updated"]}>
            {products.map((p) => (
              <Row key={p.id}>
                <LinkRowHeader href={`/products/${p.id}`}>{p.name}</LinkRowHeader>
                <td>
                  <StatusBadge status={p.status} />
                </td>
                <td>
                  {p.productName} <span className="text-slate-500">{p.versionName}</span>
                </td>
                {/* UTC, as on every page: the server renders the same text as the person's browser,
                    whatever its time zone and language, so React hydrates the page rather than
                    rendering it again (a local time differed, and cost a second render). */}
                <td className="text-slate-600">
                  <DateTime value={p.createdAt} />
                </td>
                <td className="text-slate-600">
                  <DateTime value={p.updatedAt} />
                </td>
              </Row>
            ))}
          </DataTable>
          <div className="mt-4 flex flex-wrap items-center gap-4">
            <p className="text-sm text-slate-600" aria-live="polite">
              Showing {products.length.toLocaleString("en")} of {(first?.total ?? products.length).toLocaleString("en")}
            </p>
            {list.hasMore ? (
              <Button variant="secondary" onClick={list.loadMore} disabled={list.loadingMore}>
                {list.loadingMore ? "Loading…" : "Load more"}
              </Button>
            ) : null}
            {list.moreError ? (
              <p role="alert" className="text-sm text-red-700">
                Could not load more: {list.moreError}
              </p>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
