import { withUser } from "@/lib/api/with-user";
import { newOwnerBody, productPathParams } from "@/lib/api/schemas";
import { previewTransfer } from "@/lib/services/transfers";

/** What a transfer to another owner would change (owner, tags, access, replacements), before anything does. */
export const POST = withUser(async ({ user, params, body, requestId }) => previewTransfer({ user, requestId }, params.id, body.toUserId), {
  permission: "product:transfer",
  params: productPathParams,
  body: newOwnerBody,
});
