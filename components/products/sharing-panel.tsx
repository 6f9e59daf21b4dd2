"use client";

import { useCallback, useId, useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/form-field";
import { useToast } from "@/components/ui/toast";
import { OwnerPicker, type PickedUser } from "@/components/admin/owner-picker";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { productQuery } from "@/lib/queries/products";
import { entriesToAdd, shareChanges, type SharingRules } from "@/lib/domain/sharing";
import type { SharedPrincipal, SharingPreview, SharingView, ShareablePerson } from "@/lib/services/sharing";

const sharingQueryKey = (id: string) => ["products", id, "sharing"] as const;

function principalLabel(p: SharedPrincipal): string {
  return p.person ? `${p.person.name ?? p.person.email} (${p.person.email})` : p.arn;
}

function principalDetail(p: SharedPrincipal): string {
  if (p.person) return "portal user";
  return `${p.kind}${p.account ? `, account ${p.account}` : ""}${p.otherAccount ? " (another account)" : ""}`;
}

type PickedPerson = PickedUser & { principalArn?: string };

const searchPeople = (q: string) =>
  fetchJson<{ items: ShareablePerson[] }>(`/api/people?q=${encodeURIComponent(q)}`).then((r): PickedPerson[] =>
    r.items.map((p) => ({ id: p.id, email: p.email, name: p.name, department: p.department, project: p.project, principalArn: p.principalArn })),
  );

/**
 * Who has access to a shareable product, and (for its owner) sharing with colleagues or by ARN,
 * removing with undo, then a preview of who gains and loses access before the change is applied
 * as an update of the sharing parameter alone. The same rules as the server (lib/domain/sharing).
 */
export function SharingPanel({ id, initial, rules, canChange, ownerId }: { id: string; initial: SharingView; rules: SharingRules; canChange: boolean; ownerId: string }) {
  const headingId = useId();
  const arnsId = useId();
  const toast = useToast();
  const queryClient = useQueryClient();
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
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [picked, setPicked] = useState<PickedPerson | null>(null);
  const [text, setText] = useState("");
  const [refused, setRefused] = useState<{ entry: string; message: string }[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const [preview, setPreview] = useState<SharingPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const search = useCallback(searchPeople, []);

  const { added, removed } = shareChanges(current, list);
  const changed = added.length > 0 || removed.length > 0;
  const change = (next: string[]) => {
    setWanted(next);
    setPreview(null);
    setError(null);
  };

  const addColleague = () => {
    if (!picked?.principalArn) return;
    const result = entriesToAdd(picked.principalArn, list, rules);
    setRefused(result.refused);
    setNotes(result.notes.map((n) => n.replace(picked.principalArn!, picked.email)));
    if (result.add.length) {
      setLabels((l) => ({ ...l, [picked.principalArn!]: `${picked.name ?? picked.email} (${picked.email})` }));
      change([...list, ...result.add]);
    }
    setPicked(null);
  };

  const addArns = () => {
    const result = entriesToAdd(text, list, rules);
    setRefused(result.refused);
    setNotes(result.notes);
    if (result.add.length) change([...list, ...result.add]);
    setText(result.refused.filter((r) => r.entry).map((r) => r.entry).join("\n"));
  };

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
      await queryClient.invalidateQueries({ queryKey: productQuery(id).queryKey });
    } catch (e) {
      setError(e instanceof ApiError && e.issues.length ? e.issues.map((i) => i.message).join("; ") : (e as Error).message);
    } finally {
      setSending(false);
    }
  };

  const nameOf = (arn: string) => {
    const p = known.get(arn);
    return p ? principalLabel(p) : (labels[arn] ?? arn);
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
      <h3 className="mt-3 text-sm font-semibold text-slate-800">Who has access</h3>
      <ul aria-label="Who has access" className="mt-1 space-y-1 text-sm">
        <li className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{principalLabel(view.owner)}</span>
          <span className="text-xs text-slate-600">owner, always has access</span>
        </li>
        {[...new Set([...current, ...list])].map((arn) => {
          const isRemoved = removed.includes(arn);
          const isAdded = added.includes(arn);
          const p = known.get(arn);
          return (
            <li key={arn} className="flex flex-wrap items-center gap-2">
              <span className={`break-all ${isRemoved ? "line-through text-slate-500" : ""}`}>{nameOf(arn)}</span>
              <span className="text-xs text-slate-600">{p ? principalDetail(p) : "to be added"}</span>
              {p?.otherAccount ? <span className="rounded bg-amber-100 px-1 text-xs text-amber-900">other account</span> : null}
              {canChange && !view.busy ? (
                isRemoved ? (
                  <Button variant="ghost" className="!px-2 !py-0.5" onClick={() => change(list.concat(arn))} aria-label={`Undo removing ${nameOf(arn)}`}>
                    Undo
                  </Button>
                ) : (
                  <Button variant="ghost" className="!px-2 !py-0.5" onClick={() => change(list.filter((a) => a !== arn))} aria-label={`${isAdded ? "Drop" : "Remove"} ${nameOf(arn)}`}>
                    {isAdded ? "Drop" : "Remove"}
                  </Button>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
      {current.length === 0 && list.length === 0 ? <p className="mt-1 text-sm text-slate-600">Not shared with anyone.</p> : null}

      {canChange && !view.busy ? (
        <div className="mt-4 grid gap-4 md:grid-cols-2">
          <div className="space-y-2">
            <OwnerPicker excludeUserId={ownerId} value={picked} onChange={(u) => setPicked(u as PickedPerson | null)} legend="Share with a colleague" search={search} />
            <Button variant="secondary" onClick={addColleague} disabled={!picked}>
              Add colleague
            </Button>
          </div>
          <div className="space-y-2">
            <label htmlFor={arnsId} className="block text-sm font-medium text-slate-800">
              Share by ARN
            </label>
            <p className="text-xs text-slate-600">IAM users, roles or assumed-role sessions; separate several with commas, spaces or new lines.</p>
            <textarea id={arnsId} rows={3} value={text} onChange={(e) => setText(e.target.value)} className={inputClasses(refused.length > 0)} />
            <Button variant="secondary" onClick={addArns} disabled={text.trim() === ""}>
              Add ARNs
            </Button>
          </div>
        </div>
      ) : null}
      {refused.length ? (
        <div role="alert">
          <ul aria-label="Refused entries" className="mt-2 list-disc pl-5 text-sm text-red-700">
            {refused.map((r) => (
              <li key={`${r.entry}:${r.message}`}>{r.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {notes.length ? (
        <ul aria-label="Notes" className="mt-2 list-disc pl-5 text-sm text-slate-700">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}

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
