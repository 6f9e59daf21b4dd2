import { withUser } from "@/lib/api/with-user";
import { listCatalog } from "@/lib/services/catalog";

export const GET = withUser(async ({ user }) => ({ products: await listCatalog(user) }), { permission: "catalog:read" });
