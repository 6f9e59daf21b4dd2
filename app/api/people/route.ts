import { z } from "zod";
import { withUser } from "@/lib/api/with-user";
import { searchPeople } from "@/lib/services/sharing";

const peopleQuery = z.object({ q: z.string({ error: "q is required" }).trim().min(2, "q needs at least 2 characters").max(128, "q is at most 128 characters") });

/** People who have signed in, to share a product with (name or email search). */
export const GET = withUser(async ({ user, query, requestId }) => searchPeople({ user, requestId }, query.q), { permission: "product:read", query: peopleQuery });
