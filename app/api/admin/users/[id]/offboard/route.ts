import { NextResponse } from "next/server";
import { withUser } from "@/lib/api/with-user";
import { newOwnerBody, userPathParams } from "@/lib/api/schemas";
import { startOffboarding } from "@/lib/services/offboarding";

/** Transfer all of a person's live products to one new owner (one transfer each, followed together). */
export const POST = withUser(
  async ({ user, params, body, requestId }) => NextResponse.json(await startOffboarding({ user, requestId }, params.id, body.toUserId), { status: 202 }),
  { permission: "user:manage", params: userPathParams, body: newOwnerBody },
);
