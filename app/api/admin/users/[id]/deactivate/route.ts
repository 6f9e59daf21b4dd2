import { withUser } from "@/lib/api/with-user";
import { noBody, userPathParams } from "@/lib/api/schemas";
import { setUserActive } from "@/lib/services/users";

/** Deactivate a person (admins): their sessions stop at the next request and they cannot sign in; nothing of theirs is deleted. */
export const POST = withUser(
  async ({ user, params, requestId }) => {
    const updated = await setUserActive({ user, requestId }, params.id, false);
    return { id: updated.id, email: updated.email, deactivatedAt: updated.deactivatedAt?.toISOString() ?? null };
  },
  { permission: "user:manage", params: userPathParams, body: noBody },
);
