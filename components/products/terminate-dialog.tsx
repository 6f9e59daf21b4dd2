"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/form-field";
import { useToast } from "@/components/ui/toast";
import { provisioningFormQuery } from "@/lib/queries/catalog";
import { productKeys } from "@/lib/queries/product-keys";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { terminationConsequences } from "@/lib/domain/plan";
import type { ProductDetailView } from "@/lib/services/products";

/**
 * Confirmation before terminating: says what is lost and what is kept (from the product's
 * template), and asks for the product's name to be typed. A launch AWS never created is only
 * removed from the list, and the dialog says so.
 */
export type TerminableProduct = Pick<ProductDetailView, "id" | "name" | "awsProvisionedProductId" | "productId" | "versionId" | "pathId">;

export function TerminateDialog({ product, onClose }: { product: TerminableProduct; onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const toast = useToast();
  const queryClient = useQueryClient();
  const inAws = Boolean(product.awsProvisionedProductId);
  const verb = inAws ? "Terminate" : "Remove";
  const form = useQuery({ ...provisioningFormQuery(product.productId, product.versionId, product.pathId), enabled: inAws });
  const resources = form.data?.resources ?? [];
  const consequences = terminationConsequences(
    resources.map((r) => r.type),
    { retainsBuckets: resources.some((r) => r.type === "AWS::S3::Bucket" && r.retain) },
  );

  useEffect(() => {
    const dialog = dialogRef.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);

  const terminate = useMutation({
    mutationFn: () => fetchJson(`/api/products/${product.id}/terminate`, { method: "POST", body: JSON.stringify({ confirmName: typed }) }),
    onSuccess: async () => {
      toast.show(
        inAws
          ? { tone: "info", title: `Terminating ${product.name}`, description: "AWS is removing it. The status updates by itself." }
          : { tone: "success", title: `Removed ${product.name}`, description: "It stays in your history as terminated." },
      );
      await queryClient.invalidateQueries({ queryKey: productKeys.all });
      onClose();
    },
  });
  const error = terminate.error instanceof ApiError ? (terminate.error.issues[0]?.message ?? terminate.error.message) : terminate.error?.message;

  return (
    <dialog
      ref={dialogRef}
      onClose={onClose}
      aria-labelledby="terminate-title"
      aria-describedby="terminate-description"
      className="m-auto w-full max-w-lg rounded-xl p-6 shadow-xl backdrop:bg-slate-900/50"
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === product.name) terminate.mutate();
        }}
      >
        <h2 id="terminate-title" className="text-lg font-bold text-slate-900">
          {verb} {product.name}?
        </h2>
        <div id="terminate-description" className="mt-3 space-y-3 text-sm text-slate-700">
          {!inAws ? (
            <p>AWS never created this product, so nothing in AWS is deleted. It leaves your list of live products and stays in its history as terminated.</p>
          ) : (
            <>
              {form.isPending ? <p>Checking what this product created…</p> : null}
              <div>
                <p className="font-semibold text-red-800">Will be deleted</p>
                <ul className="mt-1 list-disc pl-5">
                  {consequences.lost.map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              </div>
              <div>
                <p className="font-semibold text-slate-800">Will be kept</p>
                <ul className="mt-1 list-disc pl-5">
                  {consequences.kept.map((k) => (
                    <li key={k}>{k}</li>
                  ))}
                </ul>
              </div>
            </>
          )}
        </div>
        <label htmlFor="confirm-name" className="mt-4 block text-sm font-medium text-slate-800">
          Type <strong>{product.name}</strong> to confirm
        </label>
        <input id="confirm-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" className={`mt-1 ${inputClasses(Boolean(error))}`} aria-describedby={error ? "confirm-error" : undefined} />
        {error ? (
          <p id="confirm-error" role="alert" className="mt-1 text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={typed !== product.name || terminate.isPending}>
            {terminate.isPending ? (inAws ? "Terminating…" : "Removing…") : `${verb} product`}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
