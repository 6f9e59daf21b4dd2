"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { DataTable, Row, RowHeader } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { useToast } from "@/components/ui/toast";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import type { AccessTokenView } from "@/lib/services/access-tokens";

const STATUS_WORDS: Record<AccessTokenView["status"], string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

/**
 * A person's personal access tokens with a Revoke button on each active one (after a
 * confirmation). `tokensUrl` is the person's own tokens route or the admin's (`…/[id]/revoke` below it).
 */
export function TokenTable({ tokens, tokensUrl, caption }: { tokens: AccessTokenView[]; tokensUrl: string; caption: string }) {
  const [confirming, setConfirming] = useState<AccessTokenView | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const toast = useToast();
  const revoke = useMutation({
    mutationFn: (token: AccessTokenView) => fetchJson<AccessTokenView>(`${tokensUrl}/${token.id}/revoke`, { method: "POST", body: "{}" }),
    onSuccess: (token) => {
      toast.show({ tone: "success", title: `Token "${token.name}" revoked`, description: "It stopped working at once." });
      setConfirming(null);
      router.refresh();
    },
  });
  useEffect(() => {
    if (confirming) dialogRef.current?.showModal();
    else dialogRef.current?.close();
  }, [confirming]);
  const error = revoke.error instanceof ApiError ? revoke.error.message : revoke.error?.message;

  if (tokens.length === 0) return <p className="mt-3 text-sm text-slate-600">No tokens yet.</p>;
  return (
    <>
      <DataTable className="mt-3" framed={false} caption={caption} columns={["Name", "Status", "Created", "Expires", "Last used", "From", { label: "Actions", hidden: true }]}>
        {tokens.map((token) => (
          <Row key={token.id}>
            <RowHeader>{token.name}</RowHeader>
            <td>{STATUS_WORDS[token.status]}</td>
            <td><DateTime value={token.createdAt} /></td>
            <td><DateTime value={token.expiresAt} /></td>
            <td><DateTime value={token.lastUsedAt} empty="Never" /></td>
            <td>{token.lastUsedIp ?? "—"}</td>
            <td className="text-right">
              {token.status === "active" ? (
                <Button variant="secondary" onClick={() => { revoke.reset(); setConfirming(token); }} aria-label={`Revoke token ${token.name}…`}>
                  Revoke…
                </Button>
              ) : null}
            </td>
          </Row>
        ))}
      </DataTable>
      <dialog ref={dialogRef} onClose={() => setConfirming(null)} aria-labelledby="revoke-token-title" className="m-auto w-full max-w-md rounded-xl p-6 shadow-xl backdrop:bg-slate-900/50">
        <h2 id="revoke-token-title" className="text-lg font-bold">
          Revoke token &quot;{confirming?.name}&quot;?
        </h2>
        <p className="mt-3 text-sm text-slate-700">It stops working at once: an AWS CLI profile using it can no longer get credentials. This cannot be undone.</p>
        {error ? (
          <p role="alert" className="mt-3 text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button variant="danger" disabled={revoke.isPending} onClick={() => confirming && revoke.mutate(confirming)}>
            {revoke.isPending ? "Revoking…" : "Revoke"}
          </Button>
        </div>
      </dialog>
    </>
  );
}
