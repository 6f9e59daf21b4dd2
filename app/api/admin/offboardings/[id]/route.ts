import { withUser } from "@/lib/api/with-user";
import { offboardingPathParams } from "@/lib/api/schemas";
import { getOffboarding } from "@/lib/services/offboarding";

export const GET = withUser(async ({ user, params }) => getOffboarding({ user }, params.id), { permission: "user:manage", params: offboardingPathParams });
