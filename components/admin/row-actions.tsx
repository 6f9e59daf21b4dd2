"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { TerminateDialog, type TerminableProduct } from "@/components/products/terminate-dialog";
import { TransferDialog } from "@/components/admin/transfer-dialog";

/**
 * The admin list's row actions. Each opens the same dialog as on the product's own page; closing
 * it refreshes the list (the row's status or owner may have changed).
 */
function DialogButton({ label, ariaLabel, danger = false, dialog }: { label: string; ariaLabel: string; danger?: boolean; dialog: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const close = () => {
    setOpen(false);
    router.refresh();
  };
  return (
    <>
      <button type="button" className={buttonClasses("ghost", danger ? "px-2 py-1 text-red-700" : "px-2 py-1")} onClick={() => setOpen(true)} aria-label={ariaLabel}>
        {label}
      </button>
      {open ? dialog(close) : null}
    </>
  );
}

/** "Terminate…": the same typed confirmation as on the product's own page. */
export function TerminateButton({ product }: { product: TerminableProduct }) {
  return <DialogButton label="Terminate…" ariaLabel={`Terminate ${product.name}`} danger dialog={(close) => <TerminateDialog product={product} onClose={close} />} />;
}

/** "Transfer…": the same review and confirmation as on the product's own page. */
export function TransferButton({ product }: { product: { id: string; name: string; ownerId: string; ownerEmail: string } }) {
  return <DialogButton label="Transfer…" ariaLabel={`Transfer ${product.name}`} dialog={(close) => <TransferDialog product={product} onClose={close} />} />;
}
