import type { CatalogProduct } from "./catalog";
import { constraintDetails } from "./constraints";
import { InvalidParametersException, ResourceNotFoundException } from "./errors";
import { page } from "./paging";
import type { ScData } from "./state";
import { stableId } from "../core/ids";
import { artifactSummary, catalogArn, portfolioDetail, productViewSummary, searchProductViews } from "./views";

/**
 * The catalog as an administrator reads it (SearchProductsAsAdmin, DescribeProductAsAdmin,
 * ListPortfolios, ...): every product and portfolio of the account, whether or not the caller is
 * one of a portfolio's principals. Who may call these is the IAM policy's business
 * (permissions.ts): end users get AccessDeniedException before any of this runs.
 */
export class AdminCatalogReads {
  constructor(private readonly data: ScData) {}

  private productArn(id: string): string {
    return catalogArn(this.data.region, this.data.account, "product", id);
  }

  private productViewDetail(product: CatalogProduct) {
    return { ProductViewSummary: productViewSummary(product), Status: "AVAILABLE", ProductARN: this.productArn(product.id), CreatedTime: new Date(product.createdTime) };
  }

  private portfolio(id: string | undefined) {
    if (!id) throw new InvalidParametersException("1 validation error detected: Value null at 'portfolioId' failed to satisfy constraint: Member must not be null");
    const portfolio = this.data.catalog.portfolios.find((p) => p.id === id);
    if (!portfolio) throw new ResourceNotFoundException(`Portfolio not found: ${id}`);
    return portfolio;
  }

  private product(input: { id?: string; name?: string }, field = "Id"): CatalogProduct {
    if (!input.id && !input.name) throw new InvalidParametersException(`${field} or Name is required.`);
    const product = this.data.catalog.products.find((p) => (input.id ? p.id === input.id : p.name === input.name));
    if (!product) throw new ResourceNotFoundException(`Product not found: ${input.id ?? input.name}`);
    return product;
  }

  searchProductsAsAdmin(input: { PortfolioId?: string; Filters?: Record<string, string[]>; SortBy?: string; SortOrder?: string; PageSize?: number; PageToken?: string; ProductSource?: string }) {
    if (input.ProductSource !== undefined && input.ProductSource !== "ACCOUNT") {
      throw new InvalidParametersException(`1 validation error detected: Value '${input.ProductSource}' at 'productSource' failed to satisfy constraint: Member must satisfy enum value set: [ACCOUNT]`);
    }
    let products = this.data.catalog.products;
    if (input.PortfolioId !== undefined) {
      const portfolio = this.portfolio(input.PortfolioId);
      products = products.filter((p) => portfolio.productIds.includes(p.id));
    }
    const { items, next } = page(searchProductViews(products, input), input.PageSize, input.PageToken, 20);
    return { ProductViewDetails: items.map((p) => this.productViewDetail(p)), NextPageToken: next };
  }

  describeProductAsAdmin(input: { Id?: string; Name?: string; SourcePortfolioId?: string }) {
    const product = this.product({ id: input.Id, name: input.Name });
    if (input.SourcePortfolioId !== undefined) this.portfolio(input.SourcePortfolioId);
    return {
      ProductViewDetail: this.productViewDetail(product),
      // An administrator sees every version, inactive ones included.
      ProvisioningArtifactSummaries: product.artifacts.map((a) => {
        const { Guidance: _guidance, ...summary } = artifactSummary(a);
        return summary;
      }),
      Tags: [],
      TagOptions: Object.entries(product.tagOptions).flatMap(([Key, values]) =>
        values.map((Value) => ({ Key, Value, Active: true, Id: stableId("tag-", `tagoption/${Key}/${Value}`), Owner: this.data.account })),
      ),
      Budgets: [],
    };
  }

  listPortfolios(input: { PageSize?: number; PageToken?: string }) {
    const { items, next } = page(this.data.catalog.portfolios, input.PageSize, input.PageToken, 100);
    return { PortfolioDetails: items.map((p) => portfolioDetail(p, this.data.region, this.data.account)), NextPageToken: next };
  }

  listPortfoliosForProduct(input: { ProductId?: string; PageSize?: number; PageToken?: string }) {
    if (!input.ProductId) throw new InvalidParametersException("1 validation error detected: Value null at 'productId' failed to satisfy constraint: Member must not be null");
    const product = this.product({ id: input.ProductId }, "ProductId");
    const portfolios = this.data.catalog.portfolios.filter((p) => p.productIds.includes(product.id));
    const { items, next } = page(portfolios, input.PageSize, input.PageToken, 100);
    return { PortfolioDetails: items.map((p) => portfolioDetail(p, this.data.region, this.data.account)), NextPageToken: next };
  }

  listConstraintsForPortfolio(input: { PortfolioId?: string; ProductId?: string; PageSize?: number; PageToken?: string }) {
    const portfolio = this.portfolio(input.PortfolioId);
    const details = constraintDetails(portfolio, this.data.account).filter((c) => input.ProductId === undefined || c.ProductId === input.ProductId);
    const { items, next } = page(details, input.PageSize, input.PageToken, 20);
    return { ConstraintDetails: items, NextPageToken: next };
  }
}
