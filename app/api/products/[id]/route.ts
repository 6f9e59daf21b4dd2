import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { getProductView, toSummary } from "@/lib/services/products";
import { updateProduct } from "@/lib/services/provisioning";

export const GET = withUser(async ({ user, params, requestId }) => getProductView(user, params.id, requestId), { permission: "product:read", params: productPathParams });

/** Update parameters and/or version. */
export const PATCH = withUser(
  async ({ user, params, body, requestId }) => {
    const product = await updateProduct({ user, requestId }, params.id, body);
    return toSummary({ ...product, owner: user });
  },
  { permission: "product:update", params: productPathParams },
);
