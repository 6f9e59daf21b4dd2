import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { ProductView } from "@/components/products/product-view";
import { getProductPage } from "@/lib/services/sharing";

export const metadata: Metadata = { title: "Product" };

export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  // The Sharing panel comes only with products whose template has the sharing parameter.
  const page = await getProductPage({ user }, id).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  });
  if (!page) notFound();
  const { view, sharing } = page;
  return (
    <ProductView
      product={view}
      sharing={sharing ? { view: sharing, rules: { key: sharing.key, allowedAccounts: sharing.allowedAccounts, ownerPrincipalArn: sharing.owner.arn } } : null}
    />
  );
}
