import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { applySharing, getSharing } from "@/lib/services/sharing";

/** Who has access to the product (owner or admin). */
export const GET = withUser(async ({ user, params, requestId }) => getSharing({ user, requestId }, params.id), { permission: "product:read", params: productPathParams });

/** Apply a new list of shared principals (the owner): an update of the sharing parameter alone. */
export const POST = withUser(async ({ user, params, body, requestId }) => applySharing({ user, requestId }, params.id, body), {
  permission: "product:update",
  // The body (sharingBodySchema) is parsed by the service after the ownership check, so that
  // nobody but the owner learns from a 422 that the product exists.
  params: productPathParams,
});
