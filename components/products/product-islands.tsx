"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { canTerminate, canUpdate, settledNotice } from "@/lib/domain/status";
import { pollEvery, productVersion } from "@/lib/queries/product-watch";
import type { ProductDetailView, ProductWatch } from "@/lib/services/products";
import type { SharingView } from "@/lib/services/sharing";
import type { SharingRules } from "@/lib/domain/shared-list";
import type { TransferView } from "@/lib/services/transfers";

/**
 * The interactive parts of the product page, which is otherwise rendered on the server
 * (components/products/product-view.tsx): the watcher that refreshes it while AWS works, the
 * actions, and the parts that load with the products that have them. After anything changes the
 * product, the page's server render is refreshed (router.refresh), so what it shows is the
 * server's, as on first load.
 */

// Admin-only parts (and a transfer's status, shown only while one holds the product), the
// Sharing panel (only shareable products) and the dialogs load when shown: React's lazy.
// They keep their data with TanStack Query, whose client loads with them (withQueries).
const TransferDialog = withQueries(() => import("@/components/admin/transfer-dialog").then((m) => m.TransferDialog));
const TransferStatusPanel = withQueries(() => import("@/components/admin/transfer-status").then((m) => m.TransferStatus));
const TerminateDialog = withQueries(() => import("@/components/products/terminate-dialog").then((m) => m.TerminateDialog));
const SharingPanelPart = withQueries(() => import("@/components/products/sharing-panel").then((m) => m.SharingPanel));

/** A component loaded when first shown, inside the query client's provider, which loads with it. */
function withQueries<P extends object>(load: () => Promise<React.ComponentType<P>>) {
  return lazy(async () => {
    const [{ QueryProvider }, Part] = await Promise.all([import("@/components/ui/query-provider"), load()]);
    return {
      default: (props: P) => (
        <QueryProvider>
          <Part {...props} />
        </QueryProvider>
      ),
    };
  });
}

type Watched = Pick<ProductDetailView, "id" | "name" | "status" | "statusMessage" | "updatedAt" | "transfer" | "records">;

/**
 * While AWS works on the product (or a transfer runs): asks every 2 s for what its version is made
 * of (one query on the server) and refreshes the page when it changed; says so (a toast) when it
 * settles. A plain fetch, not a TanStack query: nothing here keeps the product, the server render
 * does.
 */
export function ProductWatcher({ product, watching }: { product: Watched; watching: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const lastStatus = useRef(product.status);
  const version = productVersion(product);

  useEffect(() => {
    const notice = settledNotice(lastStatus.current, product);
    if (notice) toast.show(notice);
    lastStatus.current = product.status;
  }, [product.status, product.name, product.statusMessage, toast]);

  useEffect(() => {
    if (!watching) return;
    return pollEvery(async () => {
      const response = await fetch(`/api/products/${encodeURIComponent(product.id)}/changes`, { cache: "no-store" });
      // Changed: refresh the server render. Asking goes on until the new render arrives (this
      // effect then starts over with its version), so a refresh lost on the way is retried.
      if (response.ok && productVersion((await response.json()) as ProductWatch) !== version) router.refresh();
    });
  }, [watching, product.id, version, router]);

  return null;
}

type Actionable = Pick<
  ProductDetailView,
  "id" | "name" | "status" | "awsProvisionedProductId" | "productId" | "versionId" | "pathId" | "ownerId" | "ownerEmail" | "canChange" | "canTerminate" | "canTransfer"
> & { held: boolean };

/** Update, Transfer ownership… and Terminate, as the person may; the dialogs load when asked for. */
export function ProductActions({ product }: { product: Actionable }) {
  const router = useRouter();
  const [open, setOpen] = useState<"terminate" | "transfer" | null>(null);
  const close = () => {
    setOpen(null);
    router.refresh();
  };
  if (product.status === "TERMINATED" || !(product.canChange || product.canTerminate || product.canTransfer)) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {product.canChange && canUpdate(product.status) && product.awsProvisionedProductId && !product.held ? (
        <IntentLink href={`/products/${product.id}/update`} className={buttonClasses("secondary")}>
          Update
        </IntentLink>
      ) : null}
      {product.canTransfer && !product.held && canUpdate(product.status) && product.awsProvisionedProductId ? (
        <button type="button" className={buttonClasses("secondary")} onClick={() => setOpen("transfer")}>
          Transfer ownership…
        </button>
      ) : null}
      {product.canTerminate ? (
        <button type="button" className={buttonClasses("danger")} disabled={!canTerminate(product.status) || product.held} onClick={() => setOpen("terminate")}>
          {product.awsProvisionedProductId ? "Terminate" : "Remove"}
        </button>
      ) : null}
      <Suspense fallback={<p role="status" className="text-sm text-slate-600">Opening…</p>}>
        {open === "terminate" ? <TerminateDialog product={product} onClose={close} /> : null}
        {open === "transfer" ? <TransferDialog product={{ id: product.id, name: product.name, ownerId: product.ownerId, ownerEmail: product.ownerEmail }} onClose={close} /> : null}
      </Suspense>
    </div>
  );
}

/** A transfer holding the product: its status, and (admins) resume or roll back. */
export function TransferStatus({ transfer, canAct }: { transfer: TransferView; canAct: boolean }) {
  return (
    <Suspense fallback={<p className="mt-4 text-sm text-slate-600">Loading the transfer&apos;s status…</p>}>
      <TransferStatusPanel transfer={transfer} canAct={canAct} />
    </Suspense>
  );
}

/** The Sharing panel of a shareable product (its template has the sharing parameter). */
export function SharingPanel(props: { id: string; initial: SharingView; rules: SharingRules; canChange: boolean; ownerId: string }) {
  return (
    <Suspense fallback={null}>
      <SharingPanelPart {...props} />
    </Suspense>
  );
}
