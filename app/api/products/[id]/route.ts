import { withUser } from "@/lib/api/with-user";
import { getProductView, toSummary } from "@/lib/services/products";
import { updateProduct } from "@/lib/services/provisioning";

export const GET = withUser<{ id: string }>(async ({ user, params }) => getProductView(user, params.id), { permission: "product:read" });

/** Update parameters and/or version. */
export const PATCH = withUser<{ id: string }>(
  async ({ user, params, request, requestId }) => {
    const product = await updateProduct({ user, requestId }, params.id, await request.json().catch(() => null));
    return toSummary({ ...product, owner: user });
  },
  { permission: "product:update" },
);
