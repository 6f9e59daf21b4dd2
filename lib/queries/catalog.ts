import { queryOptions } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { provisioningFormUrl } from "@/lib/queries/provisioning-form";
import type { ProvisioningForm } from "@/lib/services/catalog";

export const catalogKeys = {
  form: (productId: string, versionId: string, pathId: string | null) => ["catalog", "form", productId, versionId, pathId] as const,
};

/** The launch form's definition for one product version (parameters, TagOptions, instructions). */
export function provisioningFormQuery(productId: string, versionId: string, pathId: string | null) {
  return queryOptions({
    queryKey: catalogKeys.form(productId, versionId, pathId),
    queryFn: () => fetchJson<ProvisioningForm>(provisioningFormUrl({ productId, versionId, pathId })),
    staleTime: 5 * 60_000,
  });
}
