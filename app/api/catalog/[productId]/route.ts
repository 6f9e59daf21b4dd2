import { withUser } from "@/lib/api/with-user";
import { catalogPathParams } from "@/lib/api/schemas";
import { getProductDetail } from "@/lib/services/catalog";

export const GET = withUser(async ({ user, params }) => getProductDetail(user, params.productId), { permission: "catalog:read", params: catalogPathParams });
