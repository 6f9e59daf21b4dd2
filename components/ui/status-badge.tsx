import { statusBadge } from "@/lib/domain/status";

const tones: Record<string, string> = {
  success: "bg-emerald-100 text-emerald-800 ring-emerald-200",
  progress: "bg-sky-100 text-sky-800 ring-sky-200",
  danger: "bg-red-100 text-red-800 ring-red-200",
  warning: "bg-amber-100 text-amber-800 ring-amber-200",
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
};

export function StatusBadge({ status }: { status: string }) {
  const badge = statusBadge(status);
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${tones[badge.tone] ?? tones.neutral}`}>
      {badge.tone === "progress" ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" /> : null}
      {badge.label}
    </span>
  );
}
