"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";

/** Deactivate or reactivate a person, after saying what it does. */
export function UserActions({ user }: { user: { id: string; email: string; deactivatedAt: string | null } }) {
  const [confirming, setConfirming] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const toast = useToast();
  const deactivated = Boolean(user.deactivatedAt);
  const change = useMutation({
    mutationFn: () => fetchJson(`/api/admin/users/${user.id}/${deactivated ? "reactivate" : "deactivate"}`, { method: "POST", body: "{}" }),
    onSuccess: () => {
      toast.show({ tone: "success", title: deactivated ? `${user.email} can sign in again` : `${user.email} is deactivated`, description: deactivated ? undefined : "Their sessions stopped working; their products stay where they are." });
      setConfirming(false);
      router.refresh();
    },
  });
  useEffect(() => {
    if (confirming) dialogRef.current?.showModal();
    else dialogRef.current?.close();
  }, [confirming]);
  const error = change.error instanceof ApiError ? change.error.message : change.error?.message;

  return (
    <>
      <Button variant={deactivated ? "secondary" : "danger"} onClick={() => setConfirming(true)}>
        {deactivated ? "Reactivate…" : "Deactivate…"}
      </Button>
      <dialog ref={dialogRef} onClose={() => setConfirming(false)} aria-labelledby="user-action-title" className="m-auto w-full max-w-md rounded-xl p-6 shadow-xl backdrop:bg-slate-900/50">
        <h2 id="user-action-title" className="text-lg font-bold">
          {deactivated ? `Reactivate ${user.email}?` : `Deactivate ${user.email}?`}
        </h2>
        <p className="mt-3 text-sm text-slate-700">
          {deactivated
            ? "They will be able to sign in again."
            : "Their sessions stop working at their next request and they cannot sign in. Nothing of theirs is deleted: transfer their products below, or terminate them."}
        </p>
        {error ? (
          <p role="alert" className="mt-3 text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button variant={deactivated ? "primary" : "danger"} disabled={change.isPending} onClick={() => change.mutate()}>
            {change.isPending ? "Saving…" : deactivated ? "Reactivate" : "Deactivate"}
          </Button>
        </div>
      </dialog>
    </>
  );
}
