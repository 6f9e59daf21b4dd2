import { withUser } from "@/lib/api/with-user";
import { getProductDetail } from "@/lib/services/catalog";

export const GET = withUser<{ productId: string }>(async ({ user, params }) => getProductDetail(user, params.productId), { permission: "catalog:read" });
