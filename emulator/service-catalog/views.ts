import type { CatalogArtifact, CatalogPortfolio, CatalogProduct } from "./catalog";
import { InvalidParametersException } from "./errors";

/**
 * How catalog objects look on the wire, shared by the end-user and the admin operations, and the
 * product search both SearchProducts and SearchProductsAsAdmin run.
 */
export function catalogArn(region: string, account: string, type: "product" | "portfolio", id: string): string {
  return `arn:aws:catalog:${region}:${account}:${type}/${id}`;
}

export function productViewSummary(product: CatalogProduct) {
  return {
    Id: product.viewId,
    ProductId: product.id,
    Name: product.name,
    Owner: product.owner,
    ShortDescription: product.shortDescription,
    Type: "CLOUD_FORMATION_TEMPLATE",
    Distributor: product.distributor,
    HasDefaultPath: false,
    SupportEmail: product.supportEmail,
    SupportDescription: product.supportDescription,
    SupportUrl: product.supportUrl,
  };
}

export function artifactSummary(artifact: CatalogArtifact) {
  return {
    Id: artifact.id,
    Name: artifact.name,
    Description: artifact.description,
    CreatedTime: new Date(artifact.createdTime),
    Guidance: artifact.deprecated ? "DEPRECATED" : "DEFAULT",
  };
}

export function portfolioDetail(portfolio: CatalogPortfolio, region: string, account: string) {
  return {
    Id: portfolio.id,
    ARN: catalogArn(region, account, "portfolio", portfolio.id),
    DisplayName: portfolio.displayName,
    Description: portfolio.description,
    CreatedTime: new Date(portfolio.createdTime),
    ProviderName: portfolio.providerName,
  };
}

const FILTER_KEYS = ["FullTextSearch", "Owner", "ProductType", "SourceProductId"];

/**
 * Filters (ProductViewFilters) and sorting. "If no value is specified, the results are not
 * sorted": without SortBy the catalog's own order is kept, whatever SortOrder says.
 */
export function searchProductViews(products: CatalogProduct[], input: { Filters?: Record<string, string[]>; SortBy?: string; SortOrder?: string }): CatalogProduct[] {
  let result = products;
  for (const [key, values] of Object.entries(input.Filters ?? {})) {
    if (!FILTER_KEYS.includes(key)) {
      throw new InvalidParametersException(`1 validation error detected: Value '${key}' at 'filters' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [${FILTER_KEYS.join(", ")}]]`);
    }
    const wanted = (values ?? []).map((v) => v.toLowerCase());
    if (wanted.length === 0) continue;
    result = result.filter((p) => {
      const fields =
        key === "FullTextSearch" ? [p.name, p.owner, p.shortDescription, p.distributor] : key === "Owner" ? [p.owner] : key === "ProductType" ? ["CLOUD_FORMATION_TEMPLATE"] : [p.id];
      return wanted.some((w) => fields.some((f) => (key === "FullTextSearch" ? f.toLowerCase().includes(w) : f.toLowerCase() === w)));
    });
  }
  if (input.SortOrder !== undefined && input.SortOrder !== "ASCENDING" && input.SortOrder !== "DESCENDING") {
    throw new InvalidParametersException(`1 validation error detected: Value '${input.SortOrder}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ASCENDING, DESCENDING]`);
  }
  if (input.SortBy === undefined) return result;
  if (!["Title", "VersionCount", "CreationDate"].includes(input.SortBy)) {
    throw new InvalidParametersException(`1 validation error detected: Value '${input.SortBy}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Title, VersionCount, CreationDate]`);
  }
  const key = (p: CatalogProduct): string | number => (input.SortBy === "VersionCount" ? p.artifacts.length : input.SortBy === "CreationDate" ? Date.parse(p.createdTime) : p.name.toLowerCase());
  const sorted = [...result].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return input.SortOrder === "DESCENDING" ? sorted.reverse() : sorted;
}
