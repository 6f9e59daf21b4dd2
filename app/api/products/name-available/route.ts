import { withUser } from "@/lib/api/with-user";
import { nameAvailableQuery } from "@/lib/api/schemas";
import { checkNameAvailable } from "@/lib/services/products";

/** Whether a name is free for a new product (a name AWS would refuse is a 422, not "available"). */
export const GET = withUser(async ({ user, query }) => ({ available: await checkNameAvailable(user, query.name) }), {
  permission: "product:launch",
  query: nameAvailableQuery,
});
