import { IntentLink } from "@/components/ui/intent-link";
import type { HTMLAttributes, ReactNode, ThHTMLAttributes } from "react";

/**
 * The portal's one data table: a caption for screen readers, column headers with `scope`, and the
 * cell spacing of its density set once on the table (cells carry only what is their own).
 * Rows are `Row`, a row's name is `RowHeader` (a `th scope="row"`), other cells are plain `td`.
 */
export type Column = string | { label: string; hidden: true };

const DENSITY = {
  regular: "[&_td]:px-3 [&_td]:py-2 [&_th]:px-3 [&_th]:py-2",
  compact: "[&_td]:px-2 [&_td]:py-1 [&_th]:px-2 [&_th]:py-1",
} as const;

export function DataTable({
  caption,
  columns,
  density = "regular",
  framed = true,
  className = "",
  children,
}: {
  caption: string;
  /** Falsy entries are left out (a column shown only sometimes). */
  columns: (Column | false | null | undefined)[];
  density?: keyof typeof DENSITY;
  /** A white card with a border (lists on a page) or bare (a table inside a panel). */
  framed?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`overflow-x-auto ${framed ? "rounded-xl border border-slate-200 bg-white" : ""} ${className}`}>
      <table className={`w-full text-left text-sm ${DENSITY[density]}`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            {columns.filter((c): c is Column => Boolean(c)).map((c) =>
              typeof c === "string" ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.label} scope="col">
                  <span className="sr-only">{c.label}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Row({ className = "", ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={`border-t border-slate-100 align-top ${className}`} {...props} />;
}

export function RowHeader({ className = "font-medium", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="row" className={className} {...props} />;
}

/**
 * A row's name as a link to its page, prefetched when the pointer or focus reaches it rather than
 * as it scrolls into view (a list of 50 would ask the server for 50 pages it is unlikely to open).
 */
export function LinkRowHeader({ href, children }: { href: string; children: ReactNode }) {
  return (
    <RowHeader>
      <IntentLink href={href} className="text-brand-700 underline-offset-2 hover:underline">
        {children}
      </IntentLink>
    </RowHeader>
  );
}

/** What a list shows when nothing matches. */
export function EmptyList({ children, className = "mt-4" }: { children: ReactNode; className?: string }) {
  return <p className={`rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600 ${className}`}>{children}</p>;
}
