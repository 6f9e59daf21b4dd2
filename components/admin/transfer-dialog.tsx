"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { DataTable, Row, RowHeader } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { OwnerPicker, type PickedUser } from "@/components/admin/owner-picker";
import { productKeys } from "@/lib/queries/product-keys";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import type { TransferPreview, TransferView } from "@/lib/services/transfers";

/** A principal ARN as people read it: the session name (an email) when it is a portal session. */
function who(arn: string): string {
  const session = /:assumed-role\/[^/]+\/(.+)$/.exec(arn)?.[1];
  return session ?? arn;
}

/**
 * Transfer a product to another owner: choose the person, see what will change (owner, tags,
 * access, any resource AWS would replace), then confirm. A job carries it out; the product's
 * page follows it.
 */
export function TransferDialog({ product, onClose }: { product: { id: string; name: string; ownerId: string; ownerEmail: string }; onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState<PickedUser | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const toast = useToast();
  const queryClient = useQueryClient();

  useEffect(() => {
    const dialog = dialogRef.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);

  const preview = useMutation({
    mutationFn: (toUserId: string) => fetchJson<TransferPreview>(`/api/admin/products/${product.id}/transfer/preview`, { method: "POST", body: JSON.stringify({ toUserId }) }),
  });
  const start = useMutation({
    mutationFn: (toUserId: string) => fetchJson<TransferView>(`/api/admin/products/${product.id}/transfer`, { method: "POST", body: JSON.stringify({ toUserId }) }),
    onSuccess: async (transfer) => {
      toast.show({ tone: "info", title: `Transferring ${product.name} to ${transfer.to.email}`, description: "This page follows the transfer's three steps." });
      await queryClient.invalidateQueries({ queryKey: productKeys.all });
      onClose();
    },
  });
  const reviewed = preview.data && to && preview.variables === to.id ? preview.data : null;
  const error = [preview.error, start.error].find(Boolean);
  const message = error instanceof ApiError ? (error.issues[0]?.message ?? error.message) : error?.message;
  const replacements = reviewed?.replacements ?? [];

  return (
    <dialog ref={dialogRef} onClose={onClose} aria-labelledby="transfer-title" className="m-auto w-full max-w-2xl rounded-xl p-6 shadow-xl backdrop:bg-slate-900/50">
      <h2 id="transfer-title" className="text-lg font-bold text-slate-900">
        Transfer {product.name}
      </h2>
      <p className="mt-1 text-sm text-slate-600">It belongs to {product.ownerEmail}. The new owner gets it in the portal and in AWS, with their tags and access.</p>

      <div className="mt-4">
        <OwnerPicker
          excludeUserId={product.ownerId}
          value={to}
          onChange={(user) => {
            setTo(user);
            setAcknowledged(false);
          }}
        />
      </div>

      {message ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {message}
        </p>
      ) : null}

      {reviewed ? (
        <section aria-labelledby="transfer-review" className="mt-5 space-y-4 text-sm">
          <h3 id="transfer-review" className="text-base font-semibold">
            What will change
          </h3>
          <DataTable framed={false} density="compact" caption="Changes the transfer makes" columns={["What", "Now", "After"]}>
            <Row>
              <RowHeader>Owner</RowHeader>
              <td>{reviewed.changes.owner.from}</td>
              <td>{reviewed.changes.owner.to}</td>
            </Row>
            {reviewed.changes.tags.map((t) => (
              <Row key={t.key}>
                <RowHeader>Tag {t.key}</RowHeader>
                <td>{t.before ?? "—"}</td>
                <td>{reviewed.changes.tagsWillChange ? t.after : `${t.before ?? "—"} (unchanged: see below)`}</td>
              </Row>
            ))}
            {reviewed.changes.parameters.map((p) => (
              <Row key={p.key}>
                <RowHeader>Parameter {p.key}</RowHeader>
                <td className="break-all">{p.before ? who(p.before) : "—"}</td>
                <td className="break-all">{who(p.after)}</td>
              </Row>
            ))}
          </DataTable>
          <div>
            <h4 className="font-semibold">Who will have access afterwards</h4>
            <ul className="mt-1 list-disc pl-5">
              {reviewed.changes.access.after.map((arn) => (
                <li key={arn} className="break-all">
                  {who(arn)}
                  {reviewed.changes.access.gains.includes(arn) ? " (gains access)" : ""}
                </li>
              ))}
              {reviewed.changes.access.loses.map((arn) => (
                <li key={arn} className="break-all text-red-800">
                  {who(arn)} (loses access)
                </li>
              ))}
            </ul>
          </div>
          {reviewed.changes.notes.length ? (
            <ul className="space-y-1 rounded-md bg-slate-50 p-3 text-slate-700">
              {reviewed.changes.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {replacements.length ? (
            <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
              <p className="font-semibold">AWS would replace resources to carry this out</p>
              <ul className="mt-1 list-disc pl-5">
                {replacements.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <label className="mt-2 flex items-start gap-2">
                <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} className="mt-1" />
                <span>I understand. The transfer will still stop before the update and ask again.</span>
              </label>
            </div>
          ) : null}
        </section>
      ) : null}

      <div className="mt-6 flex flex-wrap justify-end gap-3">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        {reviewed ? (
          <Button variant="primary" disabled={!to || start.isPending || (replacements.length > 0 && !acknowledged)} onClick={() => to && start.mutate(to.id)}>
            {start.isPending ? "Starting…" : `Transfer to ${reviewed.changes.owner.to}`}
          </Button>
        ) : (
          <Button variant="primary" disabled={!to || preview.isPending} onClick={() => to && preview.mutate(to.id)}>
            {preview.isPending ? "Checking with AWS…" : "Review the transfer"}
          </Button>
        )}
      </div>
    </dialog>
  );
}
