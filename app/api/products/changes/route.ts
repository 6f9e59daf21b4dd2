import { withUser } from "@/lib/api/with-user";
import { myProductChanges } from "@/lib/services/products";

/** What My products polls while something is in progress: a version that moves on any change. */
export const GET = withUser(async ({ user }) => myProductChanges(user), { permission: "product:read" });
