import type { Metadata } from "next";
import { EmptyList } from "@/components/ui/table";
import { UsersTable } from "@/components/admin/users-table";
import { requirePermission } from "@/lib/auth/session";
import { listUsers } from "@/lib/services/admin";
import { firstValues, sortDirection, USER_SORTS, userFilterSchema } from "@/lib/domain/admin-filters";
import { FilterErrors } from "@/components/ui/filter-errors";
import { Pager } from "@/components/ui/pager";
import { FilterActions, filterInput, SortFields } from "@/components/admin/filter-form";

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
        <UsersTable users={page.items} />
      )}
      <Pager basePath="/admin/users" query={raw} nextCursor={page.nextCursor} shown={page.items.length} total={page.total} noun="users" />
    </>
  );
}
