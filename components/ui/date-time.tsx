/** A moment as people read it (UTC, to the minute), machine-readable in `dateTime`. */
export function DateTime({ value, empty = "—" }: { value: string | null | undefined; empty?: string }) {
  if (!value) return <span className="text-slate-500">{empty}</span>;
  return <time dateTime={value}>{value.replace("T", " ").slice(0, 16)} UTC</time>;
}
