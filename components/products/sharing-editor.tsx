"use client";

import { lazy, Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import { AfterHydration } from "@/components/ui/after-hydration";
import { shareChanges, type SharingRules } from "@/lib/domain/shared-list";

// The controls that add entries (the colleague search, the ARN box and the ARN checks) load after
// the page: they are most of the sharing code, and only an owner who edits uses them. They show
// once their code is here (never as dead inputs); their place is kept meanwhile (no layout shift).
const SharingAdder = lazy(() => import("@/components/products/sharing-adder").then((m) => ({ default: m.SharingAdder })));
const adderLoading = (
  <p role="status" className="mt-4 min-h-40 text-sm text-slate-600">
    Loading the controls to share…
  </p>
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
  const [labels, setLabels] = useState<Record<string, string>>({});
  const { removed } = shareChanges(current, list);

  const add = (arns: string[], named: Record<string, string>) => {
    setLabels((l) => ({ ...l, ...named }));
    onChange([...list, ...arns]);
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
        <AfterHydration fallback={adderLoading}>
          <Suspense fallback={adderLoading}>
            <SharingAdder list={list} rules={rules} excludeUserId={excludeUserId} onAdd={add} />
          </Suspense>
        </AfterHydration>
      ) : null}
    </div>
  );
}
