"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { useMemo, useState } from "react";
import type { CatalogProduct } from "@/lib/services/catalog";

export function CatalogBrowser({ products }: { products: CatalogProduct[] }) {
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return products;
    return products.filter((p) => [p.name, p.shortDescription, p.owner, p.distributor].some((s) => s.toLowerCase().includes(q)));
  }, [products, query]);
  return (
    <div className="mt-6">
      <label htmlFor="catalog-search" className="block text-sm font-medium text-slate-700">
        Search products
      </label>
      <input
        id="catalog-search"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Name, description or owner"
        className="mt-1 w-full max-w-md rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <p className="sr-only" aria-live="polite">
        {shown.length} {shown.length === 1 ? "product" : "products"} shown
      </p>
      {shown.length === 0 ? (
        <p className="mt-8 text-sm text-slate-600">No product matches “{query}”.</p>
      ) : (
        <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {shown.map((p) => (
            <li key={p.productId} className="flex flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <h2 className="text-base font-semibold text-slate-900">{p.name}</h2>
              <p className="mt-1 text-xs text-slate-500">
                {p.owner}
                {p.distributor && p.distributor !== p.owner ? ` · ${p.distributor}` : ""}
              </p>
              <p className="mt-3 flex-1 text-sm text-slate-700">{p.shortDescription}</p>
              <IntentLink
                href={`/catalog/${encodeURIComponent(p.productId)}/launch`}
                className="mt-4 inline-flex w-fit rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700"
                aria-label={`Launch ${p.name}`}
              >
                Launch
              </IntentLink>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
