import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { previewSharing } from "@/lib/services/sharing";

/** Who would gain and who would lose access, before anything is sent to AWS. */
export const POST = withUser(async ({ user, params, body, requestId }) => previewSharing({ user, requestId }, params.id, body), {
  permission: "product:update",
  // The body (sharingBodySchema) is parsed by the service after the ownership check, so that
  // nobody but the owner learns from a 422 that the product exists.
  params: productPathParams,
});
