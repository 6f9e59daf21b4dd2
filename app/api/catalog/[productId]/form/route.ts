import { withUser } from "@/lib/api/with-user";
import { getProvisioningForm } from "@/lib/services/catalog";
import { ValidationError } from "@/lib/errors";

export const GET = withUser<{ productId: string }>(
  async ({ user, params, request }) => {
    const version = request.nextUrl.searchParams.get("version");
    const path = request.nextUrl.searchParams.get("path");
    if (!version) throw new ValidationError("version is required", [{ path: "version", message: "Choose a product version." }]);
    return getProvisioningForm(user, { productId: params.productId, artifactId: version, ...(path ? { pathId: path } : {}) });
  },
  { permission: "catalog:read" },
);
