import { IntentLink } from "@/components/ui/intent-link";
import { buttonClasses } from "@/components/ui/button";

/**
 * Keyset paging links that keep the current filters: back to the first page, and on to the next
 * (there is no "page 7": a cursor is where the last page ended).
 */
export function Pager({
  basePath,
  query,
  nextCursor,
  shown,
  total,
  totalCapped = false,
  noun,
}: {
  basePath: string;
  query: Record<string, string | undefined>;
  nextCursor: string | null;
  shown: number;
  total: number;
  /** The count stopped at `total`: there are more. */
  totalCapped?: boolean;
  noun: string;
}) {
  const keep = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...query, ...extra })) if (value !== undefined && value !== "" && key !== "cursor") params.set(key, value);
    if (extra.cursor) params.set("cursor", extra.cursor);
    const s = params.toString();
    return `${basePath}${s ? `?${s}` : ""}`;
  };
  return (
    <nav aria-label={`Pages of ${noun}`} className="mt-4 flex flex-wrap items-center gap-3 text-sm">
      <p role="status" className="text-slate-600">
        Showing {shown} of {totalCapped ? "more than " : ""}
        {total.toLocaleString("en")} {noun}
        {query.cursor ? " (a later page)" : ""}.
      </p>
      {query.cursor ? (
        <IntentLink href={keep({})} className={buttonClasses("secondary")}>
          First page
        </IntentLink>
      ) : null}
      {nextCursor ? (
        <IntentLink href={keep({ cursor: nextCursor })} className={buttonClasses("secondary")}>
          Next page
        </IntentLink>
      ) : null}
    </nav>
  );
}
