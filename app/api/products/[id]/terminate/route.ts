import { withUser } from "@/lib/api/with-user";
import { terminateProduct } from "@/lib/services/provisioning";
import { toSummary } from "@/lib/services/products";

export const POST = withUser<{ id: string }>(
  async ({ user, params, request, requestId }) => {
    const product = await terminateProduct({ user, requestId }, params.id, await request.json().catch(() => null));
    return toSummary({ ...product, owner: user });
  },
  { permission: "product:terminate" },
);
