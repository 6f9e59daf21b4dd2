import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { sharingRulesFor } from "@/lib/services/identity";
import { getProductDetail, getProvisioningForm } from "@/lib/services/catalog";
import { getProductView } from "@/lib/services/products";
import { ProvisionForm } from "@/components/products/provision-form";
import { isReservedTagKey } from "@/lib/domain/tags";
import { NotFoundError } from "@/lib/errors";

export const metadata: Metadata = { title: "Update product" };

export default async function UpdatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const view = await getProductView(user, id).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  });
  if (!view || !view.canChange) notFound();
  const reservedKeys = env().RESERVED_TAG_KEYS;
  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      <IntentLink href={`/products/${view.id}`} className="underline">
        {view.name}
      </IntentLink>{" "}
      / Update
    </nav>
  );
  // The catalog as it is now: a product an administrator has since taken out of the person's
  // portfolios (or a version no longer offered) cannot be updated through Service Catalog, which
  // the page says rather than failing.
  const loaded = await Promise.all([
    getProductDetail(user, view.productId),
    getProvisioningForm(user, { productId: view.productId, artifactId: view.versionId, ...(view.pathId ? { pathId: view.pathId } : {}) }),
  ]).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
  if (!loaded) {
    return (
      <>
        {breadcrumb}
        <h1 className="mt-2 text-2xl font-bold text-slate-900">{view.name} cannot be updated here</h1>
        <div role="status" className="mt-4 max-w-2xl rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
          <p>
            {view.productName} {view.versionName} is no longer in your catalog, so Service Catalog will not update this product. It keeps running as it
            is, and you can still terminate it from its page. If it needs changing, ask your administrator.
          </p>
        </div>
        <p className="mt-4">
          <IntentLink href={`/products/${view.id}`} className="text-brand-700 underline">
            Back to {view.name}
          </IntentLink>
        </p>
      </>
    );
  }
  const [product, form] = loaded;
  const tagOptionKeys = new Set(form.tagOptions.map((t) => t.key));
  return (
    <>
      {breadcrumb}
      <h1 className="mt-2 text-2xl font-bold text-slate-900">Update {view.name}</h1>
      <p className="mt-1 text-sm text-slate-600">
        {view.productName}, now at {view.versionName}. Change values or pick a newer version; you will see what AWS is going to do before anything changes.
      </p>
      <ProvisionForm
        product={product}
        reservedKeys={reservedKeys}
        ownerBoundKeys={env().OWNER_BOUND_PARAMETERS}
        sharing={sharingRulesFor(user)}
        initialForm={{ versionId: view.versionId, pathId: view.pathId, form }}
        existing={{
          id: view.id,
          name: view.name,
          versionId: view.versionId,
          pathId: view.pathId,
          parameters: view.parameters,
          // TagOption tags are edited with their selects, not as free tags.
          userTags: view.tags.filter((t) => !isReservedTagKey(t.key, reservedKeys) && !tagOptionKeys.has(t.key)),
          tagOptionValues: Object.fromEntries(view.tags.filter((t) => tagOptionKeys.has(t.key)).map((t) => [t.key, t.value])),
        }}
      />
    </>
  );
}
