import { NextResponse } from "next/server";
import { withUser } from "@/lib/api/with-user";
import { launchProduct } from "@/lib/services/provisioning";
import { listMyProducts, toSummary } from "@/lib/services/products";

export const GET = withUser(
  async ({ user, request }) => ({ products: await listMyProducts(user, { includeTerminated: request.nextUrl.searchParams.get("terminated") === "1" }) }),
  { permission: "product:read" },
);

export const POST = withUser(
  async ({ user, request, requestId }) => {
    const body = await request.json().catch(() => null);
    const product = await launchProduct({ user, requestId }, body);
    return NextResponse.json(toSummary({ ...product, owner: user }), { status: 201 });
  },
  { permission: "product:launch" },
);
