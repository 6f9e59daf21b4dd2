import { withUser } from "@/lib/api/with-user";
import { productFilterSchema } from "@/lib/domain/admin-filters";
import { listAllProducts } from "@/lib/services/admin";

/** Every provisioned product, filtered, sorted and paged by cursor (admins). */
export const GET = withUser(async ({ query }) => listAllProducts(query), { permission: "admin:view", query: productFilterSchema });
