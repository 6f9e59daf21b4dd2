"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { productKeys } from "@/lib/queries/product-keys";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import type { TransferView } from "@/lib/services/transfers";

/**
 * Where a transfer holding the product stands, on its page. Owners read it; admins can resume a
 * stopped transfer (going on knowingly when AWS would replace a resource) or roll it back.
 */
export function TransferStatus({ transfer, canAct }: { transfer: TransferView; canAct: boolean }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirmReplace, setConfirmReplace] = useState(false);
  const act = useMutation({
    mutationFn: (action: "resume" | "rollback") =>
      fetchJson<TransferView>(`/api/admin/transfers/${transfer.id}/${action}`, { method: "POST", body: JSON.stringify(action === "resume" && transfer.status === "NEEDS_CONFIRMATION" ? { acceptReplacement: true } : {}) }),
    onSuccess: async (result, action) => {
      toast.show({ tone: "info", title: action === "resume" ? "Transfer resumed" : `Rolling back to ${result.to.email}`, description: "This page follows it." });
      await queryClient.invalidateQueries({ queryKey: productKeys.all });
      // The product page is rendered on the server: show where the transfer stands now.
      router.refresh();
    },
  });
  const error = act.error instanceof ApiError ? (act.error.issues[0]?.message ?? act.error.message) : act.error?.message;

  if (transfer.status === "RUNNING") {
    return (
      <div role="status" className="mt-4 rounded-md border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900">
        <p className="font-semibold">
          {transfer.rollbackOf ? "Rolling back a transfer" : "Being transferred"} to {transfer.to.email} by {transfer.requestedBy}: step {transfer.step} of 3 — {transfer.stepLabel}.
        </p>
        <p className="mt-1">Until it is done, it cannot be updated or terminated. This page updates by itself.</p>
      </div>
    );
  }

  const waiting = transfer.status === "NEEDS_CONFIRMATION";
  return (
    <div role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="font-semibold">
        {waiting ? `Transfer to ${transfer.to.email} waiting for a decision at step ${transfer.failedStep ?? transfer.step} of 3` : `Transfer incomplete: step ${transfer.failedStep ?? transfer.step} of 3 failed`}
      </p>
      <p className="mt-1">{transfer.failureReason}</p>
      {canAct ? (
        <>
          {waiting ? (
            <label className="mt-2 flex items-start gap-2">
              <input type="checkbox" checked={confirmReplace} onChange={(e) => setConfirmReplace(e.target.checked)} className="mt-1" />
              <span>Go on although AWS replaces the resources named above.</span>
            </label>
          ) : null}
          <div className="mt-3 flex flex-wrap gap-3">
            <Button variant="primary" disabled={act.isPending || (waiting && !confirmReplace)} onClick={() => act.mutate("resume")}>
              {waiting ? "Go on with the transfer" : "Resume"}
            </Button>
            <Button variant="secondary" disabled={act.isPending} onClick={() => act.mutate("rollback")}>
              Roll back to {transfer.from.email}
            </Button>
          </div>
          {error ? (
            <p role="alert" className="mt-2 font-medium text-red-800">
              {error}
            </p>
          ) : null}
        </>
      ) : (
        <p className="mt-1">An administrator has to resume or roll it back; until then it cannot be updated or terminated.</p>
      )}
    </div>
  );
}
