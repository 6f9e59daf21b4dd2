import { withUser } from "@/lib/api/with-user";
import { resumeBody, transferPathParams } from "@/lib/api/schemas";
import { resumeTransfer } from "@/lib/services/transfers";

/** Resume a stopped transfer from the step that stopped it. */
export const POST = withUser(
  async ({ user, params, body, requestId }) => resumeTransfer({ user, requestId }, params.id, { acceptReplacement: body?.acceptReplacement ?? false }),
  { permission: "product:transfer", params: transferPathParams, body: resumeBody },
);
