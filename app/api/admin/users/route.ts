import { withUser } from "@/lib/api/with-user";
import { userFilterSchema } from "@/lib/domain/admin-filters";
import { listUsers } from "@/lib/services/admin";

/** Everyone who has signed in, with their number of live products, paged by cursor (admins). */
export const GET = withUser(async ({ query }) => listUsers(query), { permission: "admin:view", query: userFilterSchema });
