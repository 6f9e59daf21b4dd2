"use client";

import { useCallback, useId, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { SharingEditor, type PrincipalLine } from "@/components/products/sharing-editor";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { useRouter } from "next/navigation";
import { productKeys } from "@/lib/queries/product-keys";
import { shareChanges, type SharingRules } from "@/lib/domain/sharing";
import type { SharedPrincipal, SharingPreview, SharingView } from "@/lib/services/sharing";

const sharingQueryKey = (id: string) => ["products", id, "sharing"] as const;

function principalLabel(p: SharedPrincipal): string {
  return p.person ? `${p.person.name ?? p.person.email} (${p.person.email})` : p.arn;
}

function principalDetail(p: SharedPrincipal): string {
  if (p.person) return "portal user";
  return `${p.kind}${p.account ? `, account ${p.account}` : ""}${p.otherAccount ? " (another account)" : ""}`;
}

/**
 * Who has access to a shareable product, and (for its owner) sharing with colleagues or by ARN,
 * removing with undo, then a preview of who gains and loses access before the change is applied
 * as an update of the sharing parameter alone. The same rules as the server (lib/domain/sharing).
 */
export function SharingPanel({ id, initial, rules, canChange, ownerId }: { id: string; initial: SharingView; rules: SharingRules; canChange: boolean; ownerId: string }) {
  const headingId = useId();
  const toast = useToast();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data: view = initial } = useQuery({
    queryKey: sharingQueryKey(id),
    queryFn: () => fetchJson<SharingView>(`/api/products/${id}/sharing`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.busy ? 1500 : false),
  });
  const current = useMemo(() => view.principals.map((p) => p.arn), [view]);
  const [wanted, setWanted] = useState<string[] | null>(null);
  const list = wanted ?? current;
  const known = useMemo(() => new Map(view.principals.map((p) => [p.arn, p])), [view]);
  const [preview, setPreview] = useState<SharingPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const { added, removed } = shareChanges(current, list);
  const changed = added.length > 0 || removed.length > 0;
  const change = (next: string[]) => {
    setWanted(next);
    setPreview(null);
    setError(null);
  };
  const describe = useCallback(
    (arn: string): PrincipalLine | null => {
      const p = known.get(arn);
      return p ? { label: principalLabel(p), detail: principalDetail(p), otherAccount: p.otherAccount } : null;
    },
    [known],
  );

  const review = async () => {
    setSending(true);
    setError(null);
    try {
      setPreview(await fetchJson<SharingPreview>(`/api/products/${id}/sharing/preview`, { method: "POST", body: JSON.stringify({ principals: list }) }));
    } catch (e) {
      setError(e instanceof ApiError && e.issues.length ? e.issues.map((i) => i.message).join("; ") : (e as Error).message);
    } finally {
      setSending(false);
    }
  };

  const apply = async () => {
    setSending(true);
    setError(null);
    try {
      await fetchJson(`/api/products/${id}/sharing`, { method: "POST", body: JSON.stringify({ principals: list }) });
      toast.show({ tone: "success", title: "Sharing change sent", description: "The bucket policy is being updated." });
      setWanted(null);
      setPreview(null);
      await queryClient.invalidateQueries({ queryKey: sharingQueryKey(id) });
      await queryClient.invalidateQueries({ queryKey: productKeys.detail(id) });
      // The product page is rendered on the server: show the product under change.
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError && e.issues.length ? e.issues.map((i) => i.message).join("; ") : (e as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby={headingId} className="mt-8 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={headingId} className="text-lg font-semibold text-slate-900">
        Sharing
      </h2>
      {view.busy ? (
        <p role="status" className="mt-1 text-sm text-slate-700">
          A change is being applied ({view.status}); the list below shows who has access once it is done.
        </p>
      ) : null}
      <SharingEditor
        current={current}
        list={list}
        onChange={change}
        rules={rules}
        ownerLabel={principalLabel(view.owner)}
        excludeUserId={ownerId}
        describe={describe}
        editable={canChange && !view.busy}
      />

      {canChange && changed ? (
        <div className="mt-4 space-y-2">
          {preview ? (
            <>
              <h3 className="text-sm font-semibold text-slate-800">What will change</h3>
              <ul aria-label="What will change" className="list-disc pl-5 text-sm">
                {preview.sentences.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
              <div className="flex gap-2">
                <Button onClick={apply} disabled={sending}>
                  Apply sharing changes
                </Button>
                <Button variant="ghost" onClick={() => change(current)}>
                  Discard
                </Button>
              </div>
            </>
          ) : (
            <div className="flex gap-2">
              <Button onClick={review} disabled={sending}>
                Review sharing changes
              </Button>
              <Button variant="ghost" onClick={() => change(current)}>
                Discard
              </Button>
            </div>
          )}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
