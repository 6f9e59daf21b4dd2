import { withUser } from "@/lib/api/with-user";
import { noBody, userTokenPathParams } from "@/lib/api/schemas";
import { revokeAccessToken } from "@/lib/services/access-tokens";

/** Revoke one of a person's tokens (admins): it stops working at once. */
export const POST = withUser(
  async ({ user, params, requestId }) => revokeAccessToken({ user, requestId }, params.tokenId, params.id),
  { permission: "user:manage", params: userTokenPathParams, body: noBody },
);
