import { IntentLink } from "@/components/ui/intent-link";
import { buttonClasses } from "@/components/ui/button";

/** The pieces the admin lists' filter forms share (GET forms: the filters live in the URL). */

export const filterInput = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

/** "Sort by" and "Order" selects. */
export function SortFields({ idPrefix, sorts, sort, direction, orderLabels = { asc: "Ascending", desc: "Descending" } }: { idPrefix: string; sorts: Record<string, string>; sort: string; direction: "asc" | "desc"; orderLabels?: { asc: string; desc: string } }) {
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-sort`} className="text-sm font-medium text-slate-700">Sort by</label>
        <select id={`${idPrefix}-sort`} name="sort" defaultValue={sort} className={filterInput}>
          {Object.entries(sorts).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${idPrefix}-dir`} className="text-sm font-medium text-slate-700">Order</label>
        <select id={`${idPrefix}-dir`} name="dir" defaultValue={direction} className={filterInput}>
          <option value="asc">{orderLabels.asc}</option>
          <option value="desc">{orderLabels.desc}</option>
        </select>
      </div>
    </>
  );
}

/** "Apply filters" and "Clear" (back to the unfiltered list). */
export function FilterActions({ clearHref, className }: { clearHref: string; className: string }) {
  return (
    <div className={`flex items-end gap-3 ${className}`}>
      <button type="submit" className={buttonClasses("primary")}>
        Apply filters
      </button>
      <IntentLink href={clearHref} className={buttonClasses("secondary")}>
        Clear
      </IntentLink>
    </div>
  );
}
