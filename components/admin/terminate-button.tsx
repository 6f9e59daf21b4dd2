"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { TerminateDialog, type TerminableProduct } from "@/components/products/terminate-dialog";

/** "Terminate…" on an admin list: the same typed confirmation as on the product's own page. */
export function TerminateButton({ product }: { product: TerminableProduct }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  return (
    <>
      <button type="button" className={buttonClasses("ghost", "px-2 py-1 text-red-700")} onClick={() => setOpen(true)} aria-label={`Terminate ${product.name}`}>
        Terminate…
      </button>
      {open ? (
        <TerminateDialog
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
