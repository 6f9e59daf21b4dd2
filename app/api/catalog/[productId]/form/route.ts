import { withUser } from "@/lib/api/with-user";
import { catalogPathParams, provisioningFormQuery } from "@/lib/api/schemas";
import { getProvisioningForm } from "@/lib/services/catalog";

export const GET = withUser(
  async ({ user, params, query }) => getProvisioningForm(user, { productId: params.productId, artifactId: query.version, ...(query.path ? { pathId: query.path } : {}) }),
  { permission: "catalog:read", params: catalogPathParams, query: provisioningFormQuery },
);
