import { withUser } from "@/lib/api/with-user";
import { userPathParams } from "@/lib/api/schemas";
import { listAccessTokens } from "@/lib/services/access-tokens";

/** A person's personal access tokens (admins). */
export const GET = withUser(async ({ user, params, requestId }) => ({ tokens: await listAccessTokens({ user, requestId }, params.id) }), { permission: "user:manage", params: userPathParams });
