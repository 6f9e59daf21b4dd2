import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { listCatalog } from "@/lib/services/catalog";
import { CatalogBrowser } from "@/components/catalog/catalog-browser";

export const metadata: Metadata = { title: "Catalog" };

export default async function CatalogPage() {
  const user = await requireUser();
  const products = await listCatalog(user);
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Catalog</h1>
      <p className="mt-1 text-sm text-slate-600">Products your organisation offers. Launch one and it will run under your name.</p>
      <CatalogBrowser products={products} />
    </>
  );
}
