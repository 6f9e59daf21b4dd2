import { withUser } from "@/lib/api/with-user";
import { transferPathParams } from "@/lib/api/schemas";
import { getTransfer } from "@/lib/services/transfers";

export const GET = withUser(async ({ user, params }) => getTransfer({ user }, params.id), { permission: "product:transfer", params: transferPathParams });
