import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { terminateRequestSchema } from "@/lib/domain/provision-request";
import { terminateProduct } from "@/lib/services/provisioning";
import { toSummary } from "@/lib/services/products";

export const POST = withUser(
  async ({ user, params, body, requestId }) => {
    const product = await terminateProduct({ user, requestId }, params.id, body);
    return toSummary({ ...product, owner: user });
  },
  { permission: "product:terminate", params: productPathParams, body: terminateRequestSchema },
);
