import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { sharingRulesFor } from "@/lib/services/identity";
import { getProductDetail } from "@/lib/services/catalog";
import { ProvisionForm } from "@/components/products/provision-form";

export const metadata: Metadata = { title: "Launch a product" };

export default async function LaunchPage({ params }: { params: Promise<{ productId: string }> }) {
  const { productId } = await params;
  const user = await requireUser();
  // A malformed or unknown product id is the not-found page (the service refuses it before AWS).
  const product = await getProductDetail(user, productId).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) notFound();
    throw error;
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/catalog" className="underline">
          Catalog
        </Link>{" "}
        / {product.name}
      </nav>
      <h1 className="mt-2 text-2xl font-bold text-slate-900">Launch {product.name}</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">{product.shortDescription}</p>
      {product.supportDescription || product.supportEmail ? (
        <p className="mt-1 text-xs text-slate-500">
          Support: {product.supportDescription} {product.supportEmail ? <a className="underline" href={`mailto:${product.supportEmail}`}>{product.supportEmail}</a> : null}
        </p>
      ) : null}
      <ProvisionForm product={product} reservedKeys={env().RESERVED_TAG_KEYS} ownerBoundKeys={env().OWNER_BOUND_PARAMETERS} sharing={sharingRulesFor(user)} />
    </>
  );
}
