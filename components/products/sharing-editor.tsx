"use client";

import { useCallback, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/form-field";
import { OwnerPicker, type PickedUser } from "@/components/admin/owner-picker";
import { fetchJson } from "@/lib/queries/fetch-json";
import { entriesToAdd, shareChanges, type SharingRules } from "@/lib/domain/sharing";
import type { ShareablePerson } from "@/lib/services/sharing";

type PickedPerson = PickedUser & { principalArn?: string };

const searchPeople = (q: string) =>
  fetchJson<{ items: ShareablePerson[] }>(`/api/people?q=${encodeURIComponent(q)}`).then((r): PickedPerson[] =>
    r.items.map((p) => ({ id: p.id, email: p.email, name: p.name, department: p.department, project: p.project, principalArn: p.principalArn })),
  );

export type PrincipalLine = { label: string; detail: string; otherAccount: boolean };

/**
 * Editing a list of shared principals: who has access (the owner first, not removable), share with
 * a colleague, share by ARN, remove with undo. Used by the Sharing panel and by the launch and
 * update forms for the sharing parameter, with lib/domain/sharing's rules (the server's own).
 */
export function SharingEditor({
  current,
  list,
  onChange,
  rules,
  ownerLabel,
  excludeUserId,
  describe,
  editable,
  itemErrors = {},
  error,
}: {
  /** The list as AWS applies it now ([] for a launch): entries not in `list` show as removed, with undo. */
  current: readonly string[];
  list: readonly string[];
  onChange: (list: string[]) => void;
  rules: SharingRules;
  ownerLabel: string;
  excludeUserId: string;
  /** How a known principal is shown (a portal user by name and email, else its kind and account). */
  describe: (arn: string) => PrincipalLine | null;
  editable: boolean;
  /** Messages for entries of `list` by index (the form's or the server's). */
  itemErrors?: Record<number, string>;
  error?: string | undefined;
}) {
  const arnsId = useId();
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [picked, setPicked] = useState<PickedPerson | null>(null);
  const [text, setText] = useState("");
  const [refused, setRefused] = useState<{ entry: string; message: string }[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const search = useCallback(searchPeople, []);
  const { removed } = shareChanges(current, list);

  const addColleague = () => {
    if (!picked?.principalArn) return;
    const arn = picked.principalArn;
    const result = entriesToAdd(arn, list, rules);
    setRefused(result.refused);
    setNotes(result.notes.map((n) => n.replace(arn, picked.email)));
    if (result.add.length) {
      setLabels((l) => ({ ...l, [arn]: `${picked.name ?? picked.email} (${picked.email})` }));
      onChange([...list, ...result.add]);
    }
    setPicked(null);
  };

  const addArns = () => {
    const result = entriesToAdd(text, list, rules);
    setRefused(result.refused);
    setNotes(result.notes);
    if (result.add.length) onChange([...list, ...result.add]);
    setText(result.refused.filter((r) => r.entry).map((r) => r.entry).join("\n"));
  };

  const nameOf = (arn: string) => describe(arn)?.label ?? labels[arn] ?? arn;

  return (
    <div>
      <h3 className="mt-3 text-sm font-semibold text-slate-800">Who has access</h3>
      <ul aria-label="Who has access" className="mt-1 space-y-1 text-sm">
        <li className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{ownerLabel}</span>
          <span className="text-xs text-slate-600">owner, always has access</span>
        </li>
        {[...new Set([...current, ...list])].map((arn) => {
          const isRemoved = removed.includes(arn);
          const isNew = !current.includes(arn);
          const line = describe(arn);
          const index = list.indexOf(arn);
          const problem = index >= 0 ? itemErrors[index] : undefined;
          return (
            <li key={arn} className="flex flex-wrap items-center gap-2">
              <span className={`break-all ${isRemoved ? "text-slate-500 line-through" : ""}`}>{nameOf(arn)}</span>
              <span className="text-xs text-slate-600">{line ? line.detail : isNew ? "to be added" : "has access"}</span>
              {line?.otherAccount ? <span className="rounded bg-amber-100 px-1 text-xs text-amber-900">other account</span> : null}
              {editable ? (
                isRemoved ? (
                  <Button variant="ghost" className="!px-2 !py-0.5" onClick={() => onChange([...list, arn])} aria-label={`Undo removing ${nameOf(arn)}`}>
                    Undo
                  </Button>
                ) : (
                  <Button variant="ghost" className="!px-2 !py-0.5" onClick={() => onChange(list.filter((a) => a !== arn))} aria-label={`${isNew ? "Drop" : "Remove"} ${nameOf(arn)}`}>
                    {isNew ? "Drop" : "Remove"}
                  </Button>
                )
              ) : null}
              {problem ? <span className="w-full text-xs text-red-700">{problem}</span> : null}
            </li>
          );
        })}
      </ul>
      {current.length === 0 && list.length === 0 ? <p className="mt-1 text-sm text-slate-600">Not shared with anyone.</p> : null}
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}

      {editable ? (
        <div className="mt-4 grid gap-4 md:grid-cols-2">
          <div className="space-y-2">
            <OwnerPicker excludeUserId={excludeUserId} value={picked} onChange={(u) => setPicked(u as PickedPerson | null)} legend="Share with a colleague" search={search} />
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
    </div>
  );
}
