import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { sharingRulesFor } from "@/lib/services/identity";
import { getProductDetail, getProvisioningForm } from "@/lib/services/catalog";
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
  // The form the page opens with, in the first HTML; when AWS does not answer now, the form
  // loads it in the browser and says so there (with a retry) instead of failing the whole page.
  const versionId = product.defaultVersionId ?? product.versions[0]?.id;
  const pathId = product.launchPaths[0]?.id ?? null;
  const initialForm = versionId
    ? await getProvisioningForm(user, { productId, artifactId: versionId, ...(pathId ? { pathId } : {}) }).then(
        (form) => ({ versionId, pathId, form }),
        () => undefined,
      )
    : undefined;
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <IntentLink href="/catalog" className="underline">
          Catalog
        </IntentLink>{" "}
        / {product.name}
      </nav>
      <h1 className="mt-2 text-2xl font-bold text-slate-900">Launch {product.name}</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">{product.shortDescription}</p>
      {product.supportDescription || product.supportEmail ? (
        <p className="mt-1 text-xs text-slate-500">
          Support: {product.supportDescription} {product.supportEmail ? <a className="underline" href={`mailto:${product.supportEmail}`}>{product.supportEmail}</a> : null}
        </p>
      ) : null}
      <ProvisionForm product={product} reservedKeys={env().RESERVED_TAG_KEYS} ownerBoundKeys={env().OWNER_BOUND_PARAMETERS} sharing={sharingRulesFor(user)} initialForm={initialForm} />
    </>
  );
}
