import { withUser } from "@/lib/api/with-user";
import { isNameAvailable } from "@/lib/services/products";

export const GET = withUser(async ({ request }) => ({ available: await isNameAvailable(request.nextUrl.searchParams.get("name") ?? "") }), { permission: "product:launch" });
