"use client";

import { useCallback, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/form-field";
import { OwnerPicker, type PickedUser } from "@/components/admin/owner-picker";
import { fetchJson } from "@/lib/queries/fetch-json";
import { entriesToAdd, type SharingRules } from "@/lib/domain/sharing";
import type { ShareablePerson } from "@/lib/services/sharing";

type PickedPerson = PickedUser & { principalArn?: string };

const searchPeople = (q: string) =>
  fetchJson<{ items: ShareablePerson[] }>(`/api/people?q=${encodeURIComponent(q)}`).then((r): PickedPerson[] =>
    r.items.map((p) => ({ id: p.id, email: p.email, name: p.name, department: p.department, project: p.project, principalArn: p.principalArn })),
  );

/**
 * Adding to a shared list: a colleague from the directory, or ARNs typed or pasted, each checked
 * with lib/domain/sharing's rules (the server's own); what is refused stays in the box, said why.
 * `onAdd` gets the entries to add and the names to show for colleagues.
 */
export function SharingAdder({
  list,
  rules,
  excludeUserId,
  onAdd,
}: {
  list: readonly string[];
  rules: SharingRules;
  excludeUserId: string;
  onAdd: (arns: string[], labels: Record<string, string>) => void;
}) {
  const arnsId = useId();
  const [picked, setPicked] = useState<PickedPerson | null>(null);
  const [text, setText] = useState("");
  const [refused, setRefused] = useState<{ entry: string; message: string }[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const search = useCallback(searchPeople, []);

  const addColleague = () => {
    if (!picked?.principalArn) return;
    const arn = picked.principalArn;
    const result = entriesToAdd(arn, list, rules);
    setRefused(result.refused);
    setNotes(result.notes.map((n) => n.replace(arn, picked.email)));
    if (result.add.length) onAdd(result.add, { [arn]: `${picked.name ?? picked.email} (${picked.email})` });
    setPicked(null);
  };

  const addArns = () => {
    const result = entriesToAdd(text, list, rules);
    setRefused(result.refused);
    setNotes(result.notes);
    if (result.add.length) onAdd(result.add, {});
    setText(result.refused.filter((r) => r.entry).map((r) => r.entry).join("\n"));
  };

  return (
    <>
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
    </>
  );
}
