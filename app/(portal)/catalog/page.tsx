import type { Metadata } from "next";

export const metadata: Metadata = { title: "Catalog" };

export default function CatalogPage() {
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Catalog</h1>
      <p className="mt-1 text-sm text-slate-600">Products your organisation offers.</p>
    </>
  );
}
