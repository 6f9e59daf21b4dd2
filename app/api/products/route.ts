import { NextResponse } from "next/server";
import { withUser } from "@/lib/api/with-user";
import { productListQuery } from "@/lib/api/schemas";
import { launchProduct } from "@/lib/services/provisioning";
import { listMyProducts, toSummary } from "@/lib/services/products";

export const GET = withUser(async ({ user, query }) => ({ products: await listMyProducts(user, { includeTerminated: query.terminated === "1" }) }), {
  permission: "product:read",
  query: productListQuery,
});

/** Launch. The body is checked against the product's real parameters by the service. */
export const POST = withUser(
  async ({ user, body, requestId }) => {
    const product = await launchProduct({ user, requestId }, body);
    return NextResponse.json(toSummary({ ...product, owner: user }), { status: 201 });
  },
  { permission: "product:launch" },
);
