import { withUser } from "@/lib/api/with-user";
import { createAccessTokenSchema } from "@/lib/domain/access-tokens";
import { createAccessToken, listAccessTokens } from "@/lib/services/access-tokens";

/** The signed-in person's personal access tokens (never their secrets). */
export const GET = withUser(async ({ user, requestId }) => ({ tokens: await listAccessTokens({ user, requestId }) }), { permission: "token:manage" });

/** A new token: the secret is in this answer only. */
export const POST = withUser(
  async ({ user, body, requestId }) => {
    const created = await createAccessToken({ user, requestId }, body);
    return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
  },
  { permission: "token:manage", body: createAccessTokenSchema },
);
