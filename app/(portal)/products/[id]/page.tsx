import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { getProductView } from "@/lib/services/products";
import { ProductView } from "@/components/products/product-view";
import { getSharing } from "@/lib/services/sharing";

export const metadata: Metadata = { title: "Product" };

export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const view = await getProductView(user, id).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  });
  if (!view) notFound();
  // Only products whose template has the sharing parameter get the panel.
  const sharing = await getSharing({ user }, id).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  });
  return (
    <ProductView
      product={view}
      sharing={sharing ? { view: sharing, rules: { key: sharing.key, allowedAccounts: sharing.allowedAccounts, ownerPrincipalArn: sharing.owner.arn } } : null}
    />
  );
}
