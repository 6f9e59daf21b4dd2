import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { requireUser } from "@/lib/auth/session";
import { getProductView } from "@/lib/services/products";
import { productQuery } from "@/lib/queries/products";
import { ProductDetail } from "@/components/products/product-detail";

export const metadata: Metadata = { title: "Product" };

export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const view = await getProductView(user, id).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  });
  if (!view) notFound();
  const queryClient = new QueryClient();
  queryClient.setQueryData(productQuery(id).queryKey, view);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ProductDetail id={id} />
    </HydrationBoundary>
  );
}
