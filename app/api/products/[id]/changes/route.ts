import { withUser } from "@/lib/api/with-user";
import { productPathParams } from "@/lib/api/schemas";
import { watchProduct } from "@/lib/services/products";

/** What the product page polls while AWS works on it: what its version is made of, in one query. */
export const GET = withUser(async ({ user, params, requestId }) => watchProduct(user, params.id, requestId), { permission: "product:read", params: productPathParams });
