"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { DataTable, Row, RowHeader } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import type { AdminUserRow } from "@/lib/services/admin";

/**
 * The admin list of people. A client component although it only renders, as `ProductsTable` is:
 * the page sends the rows once as data beside their HTML, rather than again as their rendered
 * element tree.
 */
export function UsersTable({ users }: { users: AdminUserRow[] }) {
  return (
    <DataTable className="mt-4" caption="Users matching the filters" columns={["Email", "Name", "Role", "Department", "Project", "Last login", "Live products"]}>
      {users.map((u) => (
        <Row key={u.id}>
          <RowHeader>
            <IntentLink href={`/admin/users/${u.id}`} className="text-brand-700 underline-offset-2 hover:underline">
              {u.email}
            </IntentLink>
          </RowHeader>
          <td>{u.name ?? "—"}</td>
          <td>
            {u.role === "ADMIN" ? "Administrator" : "Researcher"}
            {u.deactivatedAt ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs">Deactivated</span> : null}
          </td>
          <td>{u.department ?? "—"}</td>
          <td>{u.project ?? "—"}</td>
          <td className="text-slate-600">
            <DateTime value={u.lastLoginAt} empty="never" />
          </td>
          <td>
            {u.liveProducts > 0 ? (
              <IntentLink href={`/admin/products?owner=${u.id}`} className="underline-offset-2 hover:underline" aria-label={`${u.liveProducts} live products of ${u.email}`}>
                {u.liveProducts}
              </IntentLink>
            ) : (
              0
            )}
          </td>
        </Row>
      ))}
    </DataTable>
  );
}
