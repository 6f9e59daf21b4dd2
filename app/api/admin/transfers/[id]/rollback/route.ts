import { withUser } from "@/lib/api/with-user";
import { noBody, transferPathParams } from "@/lib/api/schemas";
import { rollBackTransfer } from "@/lib/services/transfers";

/** Roll a stopped transfer back to the previous owner (a transfer of its own, through the same steps). */
export const POST = withUser(async ({ user, params, requestId }) => rollBackTransfer({ user, requestId }, params.id), {
  permission: "product:transfer",
  params: transferPathParams,
  body: noBody,
});
