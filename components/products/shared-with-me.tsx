import { DateTime } from "@/components/ui/date-time";
import { IntentLink } from "@/components/ui/intent-link";
import { DataTable, Row, RowHeader } from "@/components/ui/table";
import type { Page } from "@/lib/services/paging";
import type { SharedWithMe as SharedItem } from "@/lib/services/sharing";

/** Buckets others shared with this person: read-only (only the owner changes who has access). */
export function SharedWithMeTable({ items, caption = "Products others shared with you" }: { items: SharedItem[]; caption?: string }) {
  return (
    <DataTable className="mt-2" caption={caption} columns={["Name", "Owner", "Bucket", "Shared since"]}>
      {items.map((item) => (
        <Row key={item.id}>
          <RowHeader>
            {item.name}
            <span className="block text-xs font-normal text-slate-600">{item.productName}</span>
          </RowHeader>
          <td>
            {item.owner.name ?? item.owner.email}
            <span className="block text-xs text-slate-600">{item.owner.email}</span>
          </td>
          <td className="break-all font-mono text-xs">{item.bucket ?? "—"}</td>
          <td>
            <DateTime value={item.since} />
          </td>
        </Row>
      ))}
    </DataTable>
  );
}

/** My products' section: the newest shares, and the way to all of them when there are more. */
export function SharedWithMe({ page }: { page: Page<SharedItem> }) {
  return (
    <section aria-labelledby="shared-with-me-heading" className="mt-10">
      <h2 id="shared-with-me-heading" className="text-xl font-semibold text-slate-900">
        Shared with me
      </h2>
      {page.items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Nothing is shared with you.</p>
      ) : (
        <>
          <SharedWithMeTable items={page.items} />
          {page.nextCursor ? (
            <p className="mt-2 text-sm text-slate-600">
              The newest {page.items.length} of {page.total.toLocaleString("en")}.{" "}
              <IntentLink href="/products/shared" className="font-medium text-brand-700 underline">
                All {page.total.toLocaleString("en")} shared with you
              </IntentLink>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
