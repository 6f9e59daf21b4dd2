import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { previewUpdate } from "@/lib/services/provisioning";

export const POST = withUser(async ({ user, params, body, requestId }) => previewUpdate({ user, requestId }, params.id, body), {
  permission: "product:update",
  params: productPathParams,
});
