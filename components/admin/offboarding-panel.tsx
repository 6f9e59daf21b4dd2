"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { toneText } from "@/components/ui/status-badge";
import { DataTable, Row, RowHeader } from "@/components/ui/table";
import type { StatusTone } from "@/lib/domain/status";
import { OwnerPicker, type PickedUser } from "@/components/admin/owner-picker";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import type { OffboardingView } from "@/lib/services/offboarding";
import type { TransferView } from "@/lib/services/transfers";

const offboardingQuery = (id: string, initial?: OffboardingView) => ({
  queryKey: ["admin", "offboarding", id] as const,
  queryFn: () => fetchJson<OffboardingView>(`/api/admin/offboardings/${id}`),
  ...(initial ? { initialData: initial } : {}),
  refetchInterval: (query: { state: { data?: OffboardingView } }) => (query.state.data && !query.state.data.done ? 2000 : false),
});

function transferState(t: TransferView): { text: string; tone: StatusTone } {
  if (t.status === "SUCCEEDED") return t.rollbackOf ? { text: `Rolled back: stays with ${t.to.email}`, tone: "warning" } : { text: "Moved", tone: "success" };
  if (t.status === "RUNNING") return { text: `In progress: step ${t.step} of 3 — ${t.stepLabel}`, tone: "progress" };
  if (t.status === "ROLLED_BACK") return { text: "Rolled back", tone: "warning" };
  return { text: `Needs attention: step ${t.failedStep ?? t.step} of 3 — ${t.failureReason ?? ""}`, tone: "warning" };
}

/**
 * Offboarding on a person's admin page: transfer all their live products to one new owner, then
 * follow each transfer live until it ends, with a summary.
 */
export function OffboardingPanel({ user, liveProducts, latest }: { user: { id: string; email: string }; liveProducts: number; latest: OffboardingView | null }) {
  const [to, setTo] = useState<PickedUser | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [currentId, setCurrentId] = useState<string | null>(latest?.id ?? null);
  const queryClient = useQueryClient();
  const router = useRouter();
  const progress = useQuery({ ...offboardingQuery(currentId ?? "none", latest && latest.id === currentId ? latest : undefined), enabled: Boolean(currentId) });
  const start = useMutation({
    mutationFn: (toUserId: string) => fetchJson<OffboardingView>(`/api/admin/users/${user.id}/offboard`, { method: "POST", body: JSON.stringify({ toUserId }) }),
    onSuccess: (view) => {
      queryClient.setQueryData(offboardingQuery(view.id).queryKey, view);
      setCurrentId(view.id);
      setConfirm(false);
      router.refresh();
    },
  });
  const view = progress.data;
  const error = start.error instanceof ApiError ? (start.error.issues[0]?.message ?? start.error.message) : start.error?.message;

  return (
    <section aria-labelledby="offboarding-title" className="mt-8 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="offboarding-title" className="text-lg font-semibold">
        Offboarding
      </h2>
      {view ? (
        <div className="mt-3 text-sm">
          <p role="status">
            {view.done ? "Done" : "In progress"}: {view.summary.moved} moved to {view.to.email}, {view.summary.inProgress} in progress, {view.summary.needsAttention} need attention
            {view.summary.skipped ? `, ${view.summary.skipped} could not start` : ""}.
          </p>
          <DataTable className="mt-3" framed={false} density="compact" caption={`Products being transferred to ${view.to.email}`} columns={["Product", "Where it stands"]}>
            {view.transfers.map((t) => {
              const state = transferState(t);
              return (
                <Row key={t.id}>
                  <RowHeader>
                    <IntentLink href={`/products/${t.productId}`} className="underline-offset-2 hover:underline">
                      {t.productName}
                    </IntentLink>
                  </RowHeader>
                  <td className={toneText[state.tone]}>{state.text}</td>
                </Row>
              );
            })}
            {view.skipped.map((s) => (
              <Row key={s.productId}>
                <RowHeader>
                  <IntentLink href={`/products/${s.productId}`} className="underline-offset-2 hover:underline">
                    {s.name}
                  </IntentLink>
                </RowHeader>
                <td className={toneText.warning}>Not started: {s.reason}</td>
              </Row>
            ))}
          </DataTable>
        </div>
      ) : null}
      {liveProducts > 0 && (!view || view.done) ? (
        <div className="mt-4 space-y-3">
          <p className="text-sm text-slate-600">
            Transfer all {liveProducts} live product{liveProducts === 1 ? "" : "s"} of {user.email} to one person. Each moves in Service Catalog, in its tags and in who can reach its data. To terminate some instead, use Terminate… in the list above first.
          </p>
          <OwnerPicker excludeUserId={user.id} value={to} onChange={(u) => { setTo(u); setConfirm(false); }} legend="Transfer all products to" />
          {error ? (
            <p role="alert" className="text-sm font-medium text-red-700">
              {error}
            </p>
          ) : null}
          {confirm && to ? (
            <div className="flex flex-wrap items-center gap-3">
              <p className="text-sm font-medium">
                Transfer {liveProducts} product{liveProducts === 1 ? "" : "s"} from {user.email} to {to.email}?
              </p>
              <Button variant="primary" disabled={start.isPending} onClick={() => start.mutate(to.id)}>
                {start.isPending ? "Starting…" : "Yes, transfer them"}
              </Button>
              <Button variant="secondary" onClick={() => setConfirm(false)}>
                Cancel
              </Button>
            </div>
          ) : (
            <Button variant="primary" disabled={!to} onClick={() => setConfirm(true)}>
              Transfer all products…
            </Button>
          )}
        </div>
      ) : liveProducts === 0 && !view ? (
        <p className="mt-2 text-sm text-slate-600">{user.email} has no live products.</p>
      ) : null}
    </section>
  );
}
