import { withUser } from "@/lib/api/with-user";
import { noBody, userPathParams } from "@/lib/api/schemas";
import { setUserActive } from "@/lib/services/users";

/** Reactivate a person (admins): they can sign in again. */
export const POST = withUser(
  async ({ user, params, requestId }) => {
    const updated = await setUserActive({ user, requestId }, params.id, true);
    return { id: updated.id, email: updated.email, deactivatedAt: updated.deactivatedAt?.toISOString() ?? null };
  },
  { permission: "user:manage", params: userPathParams, body: noBody },
);
