import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { requirePermission } from "@/lib/auth/session";
import { listAuditEvents, listAuditFacets } from "@/lib/services/audit-log";
import { auditPageQuery } from "@/lib/queries/audit";
import { auditFilterValues, auditPageQuerySchema, auditSearchParams } from "@/lib/domain/audit-query";
import { AuditLog } from "@/components/admin/audit-log";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePermission("audit:read");
  const raw = firstValues(await searchParams);
  const parsed = auditPageQuerySchema.safeParse(raw);
  const facets = await listAuditFacets();
  const queryClient = new QueryClient();
  let search: string | null = null;
  if (parsed.success) {
    search = auditSearchParams(parsed.data).toString();
    queryClient.setQueryData(auditPageQuery(search).queryKey, await listAuditEvents(parsed.data));
  }
  // The form shows what the URL asked for: the normalised filters, or as typed when they are wrong.
  const values = auditFilterValues(parsed.success ? parsed.data : raw);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  return (
    <>
      <p className="text-sm">
        <IntentLink href="/admin" className="text-brand-700 underline">
          Admin
        </IntentLink>
      </p>
      <h1 className="mt-1 text-2xl font-bold text-slate-900">Audit log</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        Everything people and the portal did, including refused attempts, newest first. Filter, page through and export the filtered events as CSV; the
        address of this page keeps the filters, so a view can be shared. Times are UTC.
      </p>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <AuditLog key={search ?? "invalid"} search={search} values={values} issues={issues} actions={facets.actions} targetTypes={facets.targetTypes} />
      </HydrationBoundary>
    </>
  );
}

function firstValues(params: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}
