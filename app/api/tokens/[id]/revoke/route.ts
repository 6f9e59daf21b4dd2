import { withUser } from "@/lib/api/with-user";
import { noBody, tokenPathParams } from "@/lib/api/schemas";
import { revokeAccessToken } from "@/lib/services/access-tokens";

/** Revoke one of the signed-in person's tokens: it stops working at once. */
export const POST = withUser(async ({ user, params, requestId }) => revokeAccessToken({ user, requestId }, params.id), { permission: "token:manage", params: tokenPathParams, body: noBody });
