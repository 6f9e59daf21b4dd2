import { statusBadge, type StatusTone } from "@/lib/domain/status";

/**
 * The portal's status colours, one place for every page: a chip (`toneChip`, as in StatusBadge)
 * and running text (`toneText`, e.g. "Being transferred…" under a status).
 */
export const toneChip: Record<StatusTone, string> = {
  success: "bg-emerald-100 text-emerald-800 ring-emerald-200",
  progress: "bg-sky-100 text-sky-800 ring-sky-200",
  danger: "bg-red-100 text-red-800 ring-red-200",
  warning: "bg-amber-100 text-amber-800 ring-amber-200",
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
};

export const toneText: Record<StatusTone, string> = {
  success: "text-emerald-700",
  progress: "text-sky-800",
  danger: "text-red-700",
  warning: "font-medium text-amber-800",
  neutral: "text-slate-600",
};

/** A chip in a status colour, for any label (the audit log's outcomes, say). */
export function ToneChip({ tone, children }: { tone: StatusTone; children: React.ReactNode }) {
  return <span className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${toneChip[tone]}`}>{children}</span>;
}

/** A product's or record's status as people read it, with a pulse while AWS works. */
export function StatusBadge({ status }: { status: string }) {
  const badge = statusBadge(status);
  return (
    <ToneChip tone={badge.tone}>
      {badge.tone === "progress" ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" /> : null}
      {badge.label}
    </ToneChip>
  );
}
