import { NextResponse } from "next/server";
import { withUser } from "@/lib/api/with-user";
import { newOwnerBody, productPathParams } from "@/lib/api/schemas";
import { startTransfer } from "@/lib/services/transfers";

/** Starts a transfer; a job carries it out (202: follow it at /api/admin/transfers/{id}). */
export const POST = withUser(
  async ({ user, params, body, requestId }) => NextResponse.json(await startTransfer({ user, requestId }, params.id, body.toUserId), { status: 202 }),
  { permission: "product:transfer", params: productPathParams, body: newOwnerBody },
);
