"use client";

import { useEffect, useId, useState } from "react";
import { inputClasses } from "@/components/ui/form-field";
import { fetchJson } from "@/lib/queries/fetch-json";
import type { AdminUserRow } from "@/lib/services/admin";
import type { Page } from "@/lib/services/paging";

export type PickedUser = Pick<AdminUserRow, "id" | "email" | "name" | "department" | "project">;

/**
 * Choose a person among those who have signed in (and are not deactivated): a search field and the
 * matches as radio buttons, which a keyboard and a screen reader handle without help.
 */
const searchAsAdmin = (q: string) => fetchJson<Page<AdminUserRow>>(`/api/admin/users?q=${encodeURIComponent(q)}&status=active&limit=10`).then((page): PickedUser[] => page.items);

export function OwnerPicker({
  excludeUserId,
  value,
  onChange,
  legend = "New owner",
  search = searchAsAdmin,
}: {
  excludeUserId: string;
  value: PickedUser | null;
  onChange: (user: PickedUser | null) => void;
  legend?: string;
  /** Where the matches come from (default: the admin user list); e.g. /api/people for sharing. */
  search?: (q: string) => Promise<PickedUser[]>;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<PickedUser[]>([]);
  const [state, setState] = useState<"idle" | "searching" | "error">("idle");

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setMatches([]);
      return;
    }
    setState("searching");
    const timer = setTimeout(() => {
      search(q)
        .then((items) => {
          setMatches(items.filter((u) => u.id !== excludeUserId));
          setState("idle");
        })
        .catch(() => setState("error"));
    }, 250);
    return () => clearTimeout(timer);
  }, [query, excludeUserId, search]);

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <label htmlFor={`${id}-search`} className="block text-xs text-slate-600">
        Search by email or name (people who have signed in at least once)
      </label>
      <input id={`${id}-search`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" className={inputClasses(false)} />
      <p role="status" className="text-xs text-slate-600">
        {state === "searching" ? "Searching…" : state === "error" ? "The search failed; try again." : query.trim().length >= 2 ? `${matches.length} match${matches.length === 1 ? "" : "es"}` : ""}
      </p>
      {matches.length ? (
        <ul className="max-h-56 space-y-1 overflow-y-auto">
          {matches.map((u) => (
            <li key={u.id}>
              <label className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-200 p-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                <input type="radio" name={`${id}-owner`} value={u.id} checked={value?.id === u.id} onChange={() => onChange(u)} className="mt-1" />
                <span>
                  <span className="block font-medium">{u.email}</span>
                  <span className="block text-xs text-slate-600">
                    {u.name ?? "—"} · {u.department ?? "no department"} / {u.project ?? "no project"}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
