import { withUser } from "@/lib/api/with-user";
import { previewUpdate } from "@/lib/services/provisioning";

export const POST = withUser<{ id: string }>(
  async ({ user, params, request, requestId }) => previewUpdate({ user, requestId }, params.id, await request.json().catch(() => null)),
  { permission: "product:update" },
);
