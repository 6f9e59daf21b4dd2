"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { TransferDialog } from "@/components/admin/transfer-dialog";

/** "Transfer…" on the admin list: the same review and confirmation as on the product's page. */
export function TransferButton({ product }: { product: { id: string; name: string; ownerId: string; ownerEmail: string } }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  return (
    <>
      <button type="button" className={buttonClasses("ghost", "px-2 py-1")} onClick={() => setOpen(true)} aria-label={`Transfer ${product.name}`}>
        Transfer…
      </button>
      {open ? (
        <TransferDialog
          product={product}
          onClose={() => {
            setOpen(false);
            router.refresh();
          }}
        />
      ) : null}
    </>
  );
}
