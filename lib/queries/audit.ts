import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import type { AuditPage } from "@/lib/services/audit-log";

export const auditKeys = {
  all: ["audit"] as const,
  /** `search`: the view's canonical query string (auditSearchParams), filters and cursor included. */
  page: (search: string) => ["audit", "page", search] as const,
};

/** One page of the audit log; the previous page stays on screen while the next one loads. */
export function auditPageQuery(search: string) {
  return queryOptions({
    queryKey: auditKeys.page(search),
    queryFn: () => fetchJson<AuditPage>(`/api/admin/audit${search ? `?${search}` : ""}`),
    placeholderData: keepPreviousData,
  });
}
