/**
 * Path and query schemas shared by the API routes, for the guard (`withUser`'s `params` and
 * `query`): ids are checked for their shape before anything else happens.
 */
import { z } from "zod";
import { rowIdSchema, serviceCatalogIdSchema } from "@/lib/domain/ids";
import { provisionedProductNameSchema } from "@/lib/domain/provisioned-product-name";

/** /api/products/[id]/…: a provisioned product row. */
export const productPathParams = z.object({ id: rowIdSchema("a product") });

/** /api/catalog/[productId]/…: a catalog product. */
export const catalogPathParams = z.object({ productId: serviceCatalogIdSchema("product") });

/** GET /api/catalog/[productId]/form?version=…&path=… */
export const provisioningFormQuery = z.object({
  version: serviceCatalogIdSchema("version"),
  path: serviceCatalogIdSchema("launchPath").optional(),
});

/** GET /api/products?q=…&sort=…&terminated=1&cursor=…&limit=… */
export { myProductsQuerySchema as productListQuery } from "@/lib/domain/my-products-query";

/** GET /api/products/name-available?name=… : a name AWS would refuse is refused here too. */
export const nameAvailableQuery = z.object({ name: provisionedProductNameSchema });

/** /api/admin/transfers/[id]/…, /api/admin/users/[id]/…, /api/admin/offboardings/[id] */
export const transferPathParams = z.object({ id: rowIdSchema("a transfer") });
export const userPathParams = z.object({ id: rowIdSchema("a user") });
export const offboardingPathParams = z.object({ id: rowIdSchema("an offboarding") });

/** Who receives a product (a transfer, an offboarding). */
export const newOwnerBody = z.strictObject({ toUserId: rowIdSchema("a user") }, { error: (issue) => (issue.code === "invalid_type" ? "The request must be a JSON object with toUserId" : undefined) });

/** Resume a stopped transfer; `acceptReplacement` when AWS would replace a resource. */
export const resumeBody = z.strictObject({ acceptReplacement: z.boolean({ error: "acceptReplacement is true or false" }).optional() }).optional();

/** Actions that take no input: an empty body or {}. */
export const noBody = z.strictObject({}).optional();

/** GET /api/admin/audit?actor=…&action=…&targetType=…&targetId=…&outcome=…&from=…&to=…&cursor=…&limit=… */
export { auditPageQuerySchema as auditPageQuery } from "@/lib/domain/audit-query";

/** GET /api/admin/audit/export?… : the same filters, no paging. */
export { auditFilterSchema as auditExportQuery } from "@/lib/domain/audit-query";

/** /api/tokens/[id]/… and /api/admin/users/[id]/tokens/[tokenId]/…: a personal access token. */
export const tokenPathParams = z.object({ id: rowIdSchema("a token") });
export const userTokenPathParams = z.object({ id: rowIdSchema("a user"), tokenId: rowIdSchema("a token") });
