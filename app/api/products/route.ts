import { NextResponse } from "next/server";
import { withUser } from "@/lib/api/with-user";
import { productListQuery } from "@/lib/api/schemas";
import { launchProduct } from "@/lib/services/provisioning";
import { listMyProducts, toSummary } from "@/lib/services/products";

/** A page of My products (the list's columns only; the detail has the rest). */
export const GET = withUser(async ({ user, query }) => listMyProducts(user, query), {
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
