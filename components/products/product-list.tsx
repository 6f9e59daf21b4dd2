"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import { useToast } from "@/components/ui/toast";
import { myProductsQuery } from "@/lib/queries/products";
import { isSettledProductStatus, statusBadge } from "@/lib/domain/status";
import type { ProductSummary } from "@/lib/services/products";

type SortKey = "createdAt" | "updatedAt" | "name" | "status";

const formatTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Toast once when a product that was in progress settles. */
function useSettledToasts(products: ProductSummary[] | undefined) {
  const toast = useToast();
  const previous = useRef(new Map<string, string>());
  useEffect(() => {
    if (!products) return;
    for (const p of products) {
      const before = previous.current.get(p.id);
      if (before && !isSettledProductStatus(before) && isSettledProductStatus(p.status)) {
        const ok = p.status === "AVAILABLE" || p.status === "TERMINATED";
        toast.show({ tone: ok ? "success" : "error", title: `${p.name}: ${statusBadge(p.status).label}`, description: p.statusMessage ?? undefined });
      }
      previous.current.set(p.id, p.status);
    }
  }, [products, toast]);
}

export function ProductList() {
  const [includeTerminated, setIncludeTerminated] = useState(false);
  const { data: products, isPending, isError, error } = useQuery(myProductsQuery(includeTerminated));
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<SortKey>("createdAt");
  useSettledToasts(products);

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const list = (products ?? []).filter((p) => !q || [p.name, p.productName, p.versionName, statusBadge(p.status).label].some((s) => s.toLowerCase().includes(q)));
    return [...list].sort((a, b) => {
      if (sort === "name") return a.name.localeCompare(b.name);
      if (sort === "status") return statusBadge(a.status).label.localeCompare(statusBadge(b.status).label);
      return b[sort].localeCompare(a[sort]);
    });
  }, [products, filter, sort]);

  if (isPending) return <p role="status" className="mt-8 text-sm text-slate-600">Loading your products…</p>;
  if (isError) return <p role="alert" className="mt-8 text-sm text-red-700">Could not load your products: {error.message}</p>;

  const working = (products ?? []).filter((p) => !isSettledProductStatus(p.status)).length;

  return (
    <div className="mt-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor="product-filter" className="block text-sm font-medium text-slate-700">
            Filter
          </label>
          <input id="product-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-2 text-sm" placeholder="Name, product or status" />
        </div>
        <div>
          <label htmlFor="product-sort" className="block text-sm font-medium text-slate-700">
            Sort by
          </label>
          <select id="product-sort" value={sort} onChange={(e) => setSort(e.target.value as SortKey)} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
            <option value="createdAt">Newest first</option>
            <option value="updatedAt">Recently changed</option>
            <option value="name">Name</option>
            <option value="status">Status</option>
          </select>
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={includeTerminated} onChange={(e) => setIncludeTerminated(e.target.checked)} />
          Show terminated
        </label>
        <p role="status" className="pb-2 text-sm text-slate-600">
          {working ? `${working} in progress — this list updates by itself.` : ""}
        </p>
      </div>

      {shown.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <h2 className="text-lg font-semibold text-slate-800">{products?.length ? "No product matches the filter" : "Nothing launched yet"}</h2>
          <p className="mt-2 text-sm text-slate-600">Products you launch from the catalog will appear here with their status.</p>
        </div>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your provisioned products</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">Name</th>
                <th scope="col" className="px-4 py-2">Status</th>
                <th scope="col" className="px-4 py-2">Product</th>
                <th scope="col" className="px-4 py-2">Created</th>
                <th scope="col" className="px-4 py-2">Updated</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id} className="border-t border-slate-100">
                  <th scope="row" className="px-4 py-3 font-medium">
                    <Link href={`/products/${p.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                      {p.name}
                    </Link>
                  </th>
                  <td className="px-4 py-3">
                    <StatusBadge status={p.status} />
                  </td>
                  <td className="px-4 py-3">
                    {p.productName} <span className="text-slate-500">{p.versionName}</span>
                  </td>
                  <td className="px-4 py-3 text-slate-600">{formatTime(p.createdAt)}</td>
                  <td className="px-4 py-3 text-slate-600">{formatTime(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
