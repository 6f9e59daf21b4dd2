import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { previewSharing, sharingBodySchema } from "@/lib/services/sharing";

/** Who would gain and who would lose access, before anything is sent to AWS. */
export const POST = withUser(async ({ user, params, body, requestId }) => previewSharing({ user, requestId }, params.id, body), {
  permission: "product:update",
  params: productPathParams,
  body: sharingBodySchema,
});
