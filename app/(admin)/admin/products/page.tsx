import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import { listAllProducts, productChoices } from "@/lib/services/admin";
import { firstValues, PRODUCT_SORTS, productFilterSchema, sortDirection, STORED_PRODUCT_STATUSES } from "@/lib/domain/admin-filters";
import { statusBadge } from "@/lib/domain/status";
import { FilterErrors } from "@/components/ui/filter-errors";
import { Pager } from "@/components/ui/pager";
import { FilterActions, filterInput, SortFields } from "@/components/admin/filter-form";
import { ProductsTable } from "@/components/admin/products-table";

export const metadata: Metadata = { title: "All products · Admin" };

export default async function AdminProductsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission("admin:view");
  const raw = firstValues(await searchParams);
  const parsed = productFilterSchema.safeParse(raw);
  if (!parsed.success) {
    return (
      <>
        <h1 className="text-2xl font-bold text-slate-900">All products</h1>
        <div className="mt-6">
          <FilterErrors issues={parsed.error.issues} clearHref="/admin/products" />
        </div>
      </>
    );
  }
  const filter = parsed.data;
  const [page, products] = await Promise.all([listAllProducts(filter), productChoices()]);
  const direction = sortDirection(filter.sort, filter.dir);
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">All products</h1>
      <p className="mt-1 text-sm text-slate-600">Every provisioned product, whoever owns it. The address of this page keeps the filters, so a view can be shared.</p>

      <form method="get" action="/admin/products" role="search" aria-label="Filter products" className="mt-6 grid gap-4 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-4">
        <div>
          <label htmlFor="f-q" className="text-sm font-medium text-slate-700">Name contains</label>
          <input id="f-q" name="q" type="search" defaultValue={filter.q ?? ""} maxLength={128} className={filterInput} />
        </div>
        <div>
          <label htmlFor="f-owner" className="text-sm font-medium text-slate-700">Owner (email)</label>
          <input id="f-owner" name="owner" type="search" defaultValue={filter.owner ?? ""} maxLength={320} className={filterInput} />
        </div>
        <div>
          <label htmlFor="f-product" className="text-sm font-medium text-slate-700">Product</label>
          <select id="f-product" name="product" defaultValue={filter.product ?? ""} className={filterInput}>
            <option value="">Any product</option>
            {products.map((p) => (
              <option key={p.productId} value={p.productId}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-status" className="text-sm font-medium text-slate-700">Status</label>
          <select id="f-status" name="status" defaultValue={filter.status ?? ""} className={filterInput}>
            <option value="">Any live status</option>
            {STORED_PRODUCT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusBadge(s).label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-transfer" className="text-sm font-medium text-slate-700">Transfer</label>
          <select id="f-transfer" name="transfer" defaultValue={filter.transfer ?? ""} className={filterInput}>
            <option value="">Any</option>
            <option value="active">Being transferred or stopped</option>
            <option value="incomplete">Stopped: waiting for an admin</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-department" className="text-sm font-medium text-slate-700">Department</label>
          <input id="f-department" name="department" defaultValue={filter.department ?? ""} maxLength={256} className={filterInput} />
        </div>
        <div>
          <label htmlFor="f-project" className="text-sm font-medium text-slate-700">Project</label>
          <input id="f-project" name="project" defaultValue={filter.project ?? ""} maxLength={256} className={filterInput} />
        </div>
        <SortFields idPrefix="f" sorts={PRODUCT_SORTS} sort={filter.sort} direction={direction} orderLabels={{ asc: "Ascending (A to Z, oldest first)", desc: "Descending (Z to A, newest first)" }} />
        <FilterActions clearHref="/admin/products" className="sm:col-span-3 lg:col-span-4" />
      </form>

      <ProductsTable products={page.items} caption="All provisioned products matching the filters" transfer />
      <Pager basePath="/admin/products" query={raw} nextCursor={page.nextCursor} shown={page.items.length} total={page.total} totalCapped={page.totalCapped} noun="products" />
    </>
  );
}
