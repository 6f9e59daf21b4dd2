import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { DataTable, EmptyList, Row, RowHeader } from "@/components/ui/table";
import { requirePermission } from "@/lib/auth/session";
import { listUsers } from "@/lib/services/admin";
import { firstValues, sortDirection, USER_SORTS, userFilterSchema } from "@/lib/domain/admin-filters";
import { FilterErrors } from "@/components/ui/filter-errors";
import { Pager } from "@/components/ui/pager";
import { FilterActions, filterInput, SortFields } from "@/components/admin/filter-form";
import { DateTime } from "@/components/ui/date-time";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission("admin:view");
  const raw = firstValues(await searchParams);
  const parsed = userFilterSchema.safeParse(raw);
  if (!parsed.success) {
    return (
      <>
        <h1 className="text-2xl font-bold text-slate-900">Users</h1>
        <div className="mt-6">
          <FilterErrors issues={parsed.error.issues} clearHref="/admin/users" />
        </div>
      </>
    );
  }
  const filter = parsed.data;
  const page = await listUsers(filter);
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Users</h1>
      <p className="mt-1 text-sm text-slate-600">Everyone who has signed in at least once.</p>
      <form method="get" action="/admin/users" role="search" aria-label="Filter users" className="mt-6 grid gap-4 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-4">
        <div>
          <label htmlFor="u-q" className="text-sm font-medium text-slate-700">Email or name contains</label>
          <input id="u-q" name="q" type="search" defaultValue={filter.q ?? ""} maxLength={128} className={filterInput} />
        </div>
        <div>
          <label htmlFor="u-role" className="text-sm font-medium text-slate-700">Role</label>
          <select id="u-role" name="role" defaultValue={filter.role ?? ""} className={filterInput}>
            <option value="">Any role</option>
            <option value="USER">Researcher</option>
            <option value="ADMIN">Administrator</option>
          </select>
        </div>
        <SortFields idPrefix="u" sorts={USER_SORTS} sort={filter.sort} direction={sortDirection(filter.sort, filter.dir)} />
        <FilterActions clearHref="/admin/users" className="sm:col-span-4" />
      </form>
      {page.items.length === 0 ? (
        <EmptyList>Nobody matches.</EmptyList>
      ) : (
        <DataTable className="mt-4" caption="Users matching the filters" columns={["Email", "Name", "Role", "Department", "Project", "Last login", "Live products"]}>
          {page.items.map((u) => (
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
      )}
      <Pager basePath="/admin/users" query={raw} nextCursor={page.nextCursor} shown={page.items.length} total={page.total} noun="users" />
    </>
  );
}
