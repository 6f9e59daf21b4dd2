import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { DateTime } from "@/components/ui/date-time";
import { TerminateButton, TransferButton } from "@/components/admin/row-actions";
import { canTerminate, canUpdate } from "@/lib/domain/status";
import type { AdminProductRow } from "@/lib/services/admin";

/** Provisioned products across owners (admin list and a user's admin page). */
/**
 * `terminate`: a "Terminate…" action per row (an admin choosing to terminate rather than
 * transfer); `transfer`: a "Transfer…" action per row.
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
  if (products.length === 0) return <p className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">No product matches.</p>;
  return (
    <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">Name</th>
            {showOwner ? <th scope="col" className="px-3 py-2">Owner</th> : null}
            <th scope="col" className="px-3 py-2">Department / project</th>
            <th scope="col" className="px-3 py-2">Product</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Launched</th>
            <th scope="col" className="px-3 py-2">Last change</th>
            {actions ? <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.id} className="border-t border-slate-100 align-top">
              <th scope="row" className="px-3 py-2 font-medium">
                <Link href={`/products/${p.id}`} className="text-brand-700 underline-offset-2 hover:underline">
                  {p.name}
                </Link>
              </th>
              {showOwner ? (
                <td className="px-3 py-2">
                  <Link href={`/admin/users/${p.owner.id}`} className="underline-offset-2 hover:underline">
                    {p.owner.email}
                  </Link>
                </td>
              ) : null}
              <td className="px-3 py-2 text-slate-700">
                {p.owner.department ?? "—"} / {p.owner.project ?? "—"}
              </td>
              <td className="px-3 py-2">
                {p.productName} <span className="text-slate-500">{p.versionName}</span>
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={p.status} />
                {p.transfer ? (
                  <span className={`mt-1 block text-xs ${p.transfer.status === "RUNNING" ? "text-sky-800" : "font-medium text-amber-800"}`}>
                    {p.transfer.status === "RUNNING"
                      ? `Being transferred to ${p.transfer.to} (step ${p.transfer.step} of 3)`
                      : p.transfer.status === "NEEDS_CONFIRMATION"
                        ? `Transfer to ${p.transfer.to} waiting for a decision (step ${p.transfer.failedStep ?? p.transfer.step} of 3)`
                        : `Transfer incomplete: step ${p.transfer.failedStep ?? p.transfer.step} of 3 failed — ${p.transfer.failureReason ?? "see the product"}`}
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2 text-slate-600">
                <DateTime value={p.createdAt} />
              </td>
              <td className="px-3 py-2 text-slate-600">
                <DateTime value={p.updatedAt} />
              </td>
              {actions ? (
                <td className="px-3 py-2 whitespace-nowrap">
                  {transfer && !p.transfer && canUpdate(p.status) && p.awsProvisionedProductId ? <TransferButton product={{ id: p.id, name: p.name, ownerId: p.owner.id, ownerEmail: p.owner.email }} /> : null}
                  {terminate && !p.transfer && canTerminate(p.status) ? <TerminateButton product={p} /> : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
