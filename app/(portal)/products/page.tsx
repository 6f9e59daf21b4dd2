import type { Metadata } from "next";
import Link from "next/link";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { requireUser } from "@/lib/auth/session";
import { listMyProducts } from "@/lib/services/products";
import { myProductsQuery } from "@/lib/queries/products";
import { buttonClasses } from "@/components/ui/button";
import { ProductList } from "@/components/products/product-list";
import { SharedWithMe } from "@/components/products/shared-with-me";
import { listSharedWithMe } from "@/lib/services/sharing";

export const metadata: Metadata = { title: "My products" };

export default async function MyProductsPage() {
  const user = await requireUser();
  // Prefetch on the server with the same query options the client polls with.
  const queryClient = new QueryClient();
  queryClient.setQueryData(myProductsQuery(false).queryKey, await listMyProducts(user));
  return (
    <>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">My products</h1>
          <p className="mt-1 text-sm text-slate-600">Resources you launched, as {user.email}.</p>
        </div>
        <Link href="/catalog" className={buttonClasses("primary")}>
          Browse the catalog
        </Link>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ProductList />
      </HydrationBoundary>
      <SharedWithMe items={await listSharedWithMe(user)} />
    </>
  );
}
