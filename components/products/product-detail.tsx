"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import { CopyButton } from "@/components/ui/copy-button";
import { KeyValueCard } from "@/components/ui/key-value-list";
import { buttonClasses } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { SsmCommands } from "@/components/products/ssm-commands";
import { productQuery } from "@/lib/queries/product";
import { canTerminate, canUpdate, isSettledProductStatus, statusBadge } from "@/lib/domain/status";
import type { ProductDetailView } from "@/lib/services/products";
import type { SharingView } from "@/lib/services/sharing";
import type { SharingRules } from "@/lib/domain/shared-list";

// Admin-only parts (and a transfer's status, shown only while one holds the product) load when
// shown: most people never see them, so their code stays out of this page's first load. React's
// own lazy(), not next/dynamic: the same split without next/dynamic's preloading machinery
// (about 2.7 KB gzip of first load).
const TransferDialog = lazy(() => import("@/components/admin/transfer-dialog").then((m) => ({ default: m.TransferDialog })));
const TransferStatus = lazy(() => import("@/components/admin/transfer-status").then((m) => ({ default: m.TransferStatus })));
// Only a shareable product (a bucket) has the Sharing panel: it loads with the products that show
// it. The server renders it into the page; it becomes interactive when its code arrives (its
// inputs only then: see SharingEditor).
const SharingPanel = lazy(() => import("@/components/products/sharing-panel").then((m) => ({ default: m.SharingPanel })));
// Loaded when someone asks to terminate, not with every product page.
const TerminateDialog = lazy(() => import("@/components/products/terminate-dialog").then((m) => ({ default: m.TerminateDialog })));

const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }) : "—");

const recordLabels: Record<string, string> = {
  PROVISION_PRODUCT: "Launch",
  UPDATE_PROVISIONED_PRODUCT: "Update",
  TERMINATE_PROVISIONED_PRODUCT: "Terminate",
  UPDATE_PROVISIONED_PRODUCT_PROPERTIES: "Change of owner",
};

/**
 * One product, as the server read it for this page (`initial`), then polled while AWS works; with
 * its Sharing panel when the product's template has the sharing parameter (`sharing`).
 */
export function ProductDetail({ id, initial, sharing }: { id: string; initial: ProductDetailView; sharing: { view: SharingView; rules: SharingRules } | null }) {
  const { data: product, isError, error } = useQuery({ ...productQuery(id), initialData: initial });
  const toast = useToast();
  const lastStatus = useRef<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [transferring, setTransferring] = useState(false);

  useEffect(() => {
    if (!product) return;
    const before = lastStatus.current;
    if (before && !isSettledProductStatus(before) && isSettledProductStatus(product.status)) {
      const ok = product.status === "AVAILABLE" || product.status === "TERMINATED";
      toast.show({ tone: ok ? "success" : "error", title: `${product.name}: ${statusBadge(product.status).label}`, description: product.statusMessage ?? undefined });
    }
    lastStatus.current = product.status;
  }, [product, toast]);

  if (isError) return <p role="alert" className="text-sm text-red-700">Could not load this product: {error.message}</p>;
  if (!product) return <p role="status">Loading…</p>;

  const instanceId = product.outputs.find((o) => o.key === "EC2InstanceId")?.value;
  const badge = statusBadge(product.status);

  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        {product.canChange || !product.canTransfer ? (
          <Link href="/products" className="underline">
            My products
          </Link>
        ) : (
          <Link href="/admin/products" className="underline">
            All products
          </Link>
        )}{" "}
        / {product.name}
      </nav>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">{product.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span id="product-status">
              <StatusBadge status={product.status} />
            </span>
            <span>
              {product.productName} · {product.versionName}
            </span>
            {!product.canChange ? <span>· owned by {product.ownerEmail}</span> : null}
          </p>
        </div>
        {product.status !== "TERMINATED" && (product.canChange || product.canTerminate || product.canTransfer) ? (
          <div className="flex flex-wrap gap-2">
            {product.canChange && canUpdate(product.status) && product.awsProvisionedProductId && !product.transfer ? (
              <Link href={`/products/${product.id}/update`} className={buttonClasses("secondary")}>
                Update
              </Link>
            ) : null}
            {product.canTransfer && !product.transfer && canUpdate(product.status) && product.awsProvisionedProductId ? (
              <button type="button" className={buttonClasses("secondary")} onClick={() => setTransferring(true)}>
                Transfer ownership…
              </button>
            ) : null}
            {product.canTerminate ? (
              <button type="button" className={buttonClasses("danger")} disabled={!canTerminate(product.status) || Boolean(product.transfer)} onClick={() => setConfirming(true)}>
                {product.awsProvisionedProductId ? "Terminate" : "Remove"}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>

      {product.transfer ? (
        <Suspense fallback={<p className="mt-4 text-sm text-slate-600">Loading the transfer's status…</p>}>
          <TransferStatus transfer={product.transfer} canAct={product.canTransfer} />
        </Suspense>
      ) : null}

      <div role="status" aria-live="polite" className="mt-4">
        {!isSettledProductStatus(product.status) ? (
          <p className="rounded-md bg-sky-50 p-3 text-sm text-sky-900">{badge.description} This page updates by itself.</p>
        ) : product.statusMessage ? (
          <p className={`rounded-md p-3 text-sm ${product.status === "AVAILABLE" ? "bg-slate-100 text-slate-700" : "bg-red-50 text-red-900"}`}>{product.statusMessage}</p>
        ) : null}
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="outputs-title" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="outputs-title" className="text-base font-semibold">
            Outputs
          </h2>
          {product.outputs.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">{isSettledProductStatus(product.status) ? "This product has no outputs." : "Outputs appear when AWS has finished."}</p>
          ) : (
            <dl className="mt-3 space-y-3 text-sm">
              {/* AWS adds the stack ARN to every product's outputs; it matters least, so it goes last. */}
              {[...product.outputs].sort((a, b) => Number(a.key === "CloudformationStackARN") - Number(b.key === "CloudformationStackARN")).map((o) => (
                <div key={o.key}>
                  <dt className="font-medium text-slate-700">{o.description || o.key}</dt>
                  <dd className="mt-0.5 flex items-center gap-2 break-all">
                    {/^https:\/\//.test(o.value) ? (
                      <a href={o.value} target="_blank" rel="noreferrer noopener" className="text-brand-700 underline">
                        {o.value}
                      </a>
                    ) : (
                      <code className="rounded bg-slate-100 px-1.5 py-0.5">{o.value}</code>
                    )}
                    <span className="shrink-0">
                      <CopyButton value={o.value} label={o.key} />
                    </span>
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>

        {instanceId && product.status !== "TERMINATED" ? <SsmCommands instanceId={instanceId} /> : null}

        <KeyValueCard
          id="parameters-title"
          title="Parameters"
          empty="This product has no parameters."
          entries={Object.entries(product.parameters).map(([key, value]) => [key, Array.isArray(value) ? value.join(", ") || "(none)" : value || "(empty)"])}
        />
        <KeyValueCard id="tags-title" title="Tags" empty="No tags." entries={product.tags.map((t) => [t.key, t.value])} />
      </div>

      <section aria-labelledby="history-title" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="history-title" className="text-base font-semibold">
          History
        </h2>
        <ol className="mt-3 space-y-3 text-sm">
          {product.records.map((r) => (
            <li key={r.id} className="rounded-md border border-slate-100 p-3">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{recordLabels[r.type] ?? r.type}</span>
                <StatusBadge status={r.status} />
                <span className="text-slate-500">{formatTime(r.createdAt)}</span>
                {r.requestedBy ? <span className="text-slate-500">by {r.requestedBy}</span> : null}
                {r.recordId ? <code className="text-xs text-slate-500">{r.recordId}</code> : null}
              </div>
              {r.errors.length ? (
                <ul className="mt-2 list-disc pl-5 text-red-800">
                  {r.errors.map((e, i) => (
                    <li key={i}>{e.description || e.code}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {sharing && product.status !== "TERMINATED" ? (
        <Suspense fallback={null}>
          <SharingPanel id={product.id} initial={sharing.view} rules={sharing.rules} canChange={product.canChange} ownerId={product.ownerId} />
        </Suspense>
      ) : null}

      <Suspense fallback={<p role="status" className="mt-4 text-sm text-slate-600">Opening…</p>}>
        {confirming ? <TerminateDialog product={product} onClose={() => setConfirming(false)} /> : null}
        {transferring ? <TransferDialog product={{ id: product.id, name: product.name, ownerId: product.ownerId, ownerEmail: product.ownerEmail }} onClose={() => setTransferring(false)} /> : null}
      </Suspense>
    </>
  );
}
