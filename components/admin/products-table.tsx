"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { StatusBadge, toneText } from "@/components/ui/status-badge";
import { DataTable, EmptyList, LinkRowHeader, Row } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { TerminateButton, TransferButton } from "@/components/admin/row-actions";
import { canTerminate, canUpdate } from "@/lib/domain/status";
import type { AdminProductRow } from "@/lib/services/admin";

/**
 * Provisioned products across owners (admin list and a user's admin page). `terminate`: a
 * "Terminate…" action per row (an admin choosing to terminate rather than transfer); `transfer`: a
 * "Transfer…" action per row.
 *
 * A client component although it only renders: the page then sends the rows once as data (about
 * 0.5 KB a row) beside their HTML. As a server component its output went to the browser as the
 * HTML and again as the rendered element tree (1.5 KB a row: every cell, class name and link), and
 * the server built both: 182 KB a page of 50 rows, 110 KB of it that tree.
 */
export function ProductsTable({
  products,
  caption,
  showOwner = true,
  terminate = false,
  transfer = false,
}: {
  products: AdminProductRow[];
  caption: string;
  showOwner?: boolean;
  terminate?: boolean;
  transfer?: boolean;
}) {
  const actions = terminate || transfer;
  if (products.length === 0) return <EmptyList>No product matches.</EmptyList>;
  return (
    <DataTable
      className="mt-4"
      caption={caption}
      columns={["Name", showOwner && "Owner", "Department / project", "Product", "Status", "Launched", "Last change", actions && { label: "Actions", hidden: true }]}
    >
      {products.map((p) => (
        <Row key={p.id}>
          <LinkRowHeader href={`/products/${p.id}`}>{p.name}</LinkRowHeader>
          {showOwner ? (
            <td>
              <IntentLink href={`/admin/users/${p.owner.id}`} className="underline-offset-2 hover:underline">
                {p.owner.email}
              </IntentLink>
            </td>
          ) : null}
          <td className="text-slate-700">
            {p.owner.department ?? "—"} / {p.owner.project ?? "—"}
          </td>
          <td>
            {p.productName} <span className="text-slate-500">{p.versionName}</span>
          </td>
          <td>
            <StatusBadge status={p.status} />
            {p.transfer ? (
              <span className={`mt-1 block text-xs ${toneText[p.transfer.status === "RUNNING" ? "progress" : "warning"]}`}>
                {p.transfer.status === "RUNNING"
                  ? `Being transferred to ${p.transfer.to} (step ${p.transfer.step} of 3)`
                  : p.transfer.status === "NEEDS_CONFIRMATION"
                    ? `Transfer to ${p.transfer.to} waiting for a decision (step ${p.transfer.failedStep ?? p.transfer.step} of 3)`
                    : `Transfer incomplete: step ${p.transfer.failedStep ?? p.transfer.step} of 3 failed — ${p.transfer.failureReason ?? "see the product"}`}
              </span>
            ) : null}
          </td>
          <td className="text-slate-600">
            <DateTime value={p.createdAt} />
          </td>
          <td className="text-slate-600">
            <DateTime value={p.updatedAt} />
          </td>
          {actions ? (
            <td className="whitespace-nowrap">
              {transfer && !p.transfer && canUpdate(p.status) && p.awsProvisionedProductId ? <TransferButton product={{ id: p.id, name: p.name, ownerId: p.owner.id, ownerEmail: p.owner.email }} /> : null}
              {terminate && !p.transfer && canTerminate(p.status) ? <TerminateButton product={p} /> : null}
            </td>
          ) : null}
        </Row>
      ))}
    </DataTable>
  );
}
