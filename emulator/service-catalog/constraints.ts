import { stableId } from "../core/ids";
import type { CatalogPortfolio, TagUpdatePolicy } from "./catalog";

/**
 * Constraints apply to a product in a portfolio (its launch path). The launch constraint is the
 * portfolio's; RESOURCE_UPDATE decides whether an update may change a provisioned product's tags
 * (UpdateProvisionedProduct's Tags: "Requires the product to have RESOURCE_UPDATE constraint with
 * TagUpdatesOnProvisionedProduct set to ALLOWED"); without one, AWS reports NOT_ALLOWED.
 */
export function tagUpdatePolicy(path: CatalogPortfolio, productId: string): TagUpdatePolicy {
  return (path.constraints ?? []).find((c) => c.type === "RESOURCE_UPDATE" && c.productId === productId)?.tagUpdateOnProvisionedProduct ?? "NOT_ALLOWED";
}

function constraintsOf(portfolio: CatalogPortfolio, productId: string): Array<{ id: string; type: string; description: string }> {
  return [
    ...(portfolio.launchConstraint ? [{ id: stableId("cons-", `constraint/${portfolio.id}/${productId}/LAUNCH`), type: "LAUNCH", description: portfolio.launchConstraint.description }] : []),
    ...(portfolio.constraints ?? []).filter((c) => c.productId === productId),
  ];
}

/** ConstraintSummaries of a launch path ("the constraints on the portfolio-product relationship"). */
export function constraintSummaries(path: CatalogPortfolio, productId: string): Array<{ Type: string; Description: string }> {
  return constraintsOf(path, productId).map((c) => ({ Type: c.type, Description: c.description }));
}

/** ListConstraintsForPortfolio's ConstraintDetail, product by product. */
export function constraintDetails(portfolio: CatalogPortfolio, account: string) {
  return portfolio.productIds.flatMap((productId) =>
    constraintsOf(portfolio, productId).map((c) => ({ ConstraintId: c.id, Type: c.type, Description: c.description, Owner: account, ProductId: productId, PortfolioId: portfolio.id })),
  );
}
