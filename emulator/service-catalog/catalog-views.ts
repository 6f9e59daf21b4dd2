import type { Principal } from "../core/identity";
import { describeTemplateParameters } from "../cloudformation/parameters";
import type { Template } from "../cloudformation/template";
import type { CatalogArtifact, CatalogPortfolio, CatalogProduct } from "./catalog";
import { constraintSummaries, tagUpdatePolicy } from "./constraints";
import { InvalidParametersException, ResourceNotFoundException } from "./errors";
import { page } from "./paging";
import { Part } from "./part";
import { artifactSummary, productViewSummary, searchProductViews } from "./views";

/**
 * What a person browses before launching: the products of the portfolios shared with their role,
 * their versions (provisioning artifacts), launch paths, constraints, TagOptions and parameters.
 */
export class CatalogViews extends Part {
  productById(id: string): CatalogProduct | undefined {
    return this.data.catalog.products.find((p) => p.id === id);
  }

  artifactById(productId: string, artifactId: string): CatalogArtifact | undefined {
    return this.productById(productId)?.artifacts.find((a) => a.id === artifactId);
  }

  /** Portfolios shared with the caller's role (its launch paths). */
  private portfoliosFor(caller: Principal): CatalogPortfolio[] {
    const role = caller.kind === "assumed-role" ? caller.roleArn : caller.arn;
    return this.data.catalog.portfolios.filter((p) => p.principals.includes(role));
  }

  private visibleProducts(caller: Principal): CatalogProduct[] {
    const ids = new Set(this.portfoliosFor(caller).flatMap((p) => p.productIds));
    return this.data.catalog.products.filter((p) => ids.has(p.id));
  }

  productFor(caller: Principal, input: { id?: string; name?: string }, label = "Product"): CatalogProduct {
    if (!input.id && !input.name) throw new InvalidParametersException(`${label} Id or Name is required.`);
    const product = this.visibleProducts(caller).find((p) => (input.id ? p.id === input.id : p.name === input.name));
    if (!product) throw new ResourceNotFoundException(`${label} not found: ${input.id ?? input.name}`);
    return product;
  }

  private launchPathsOf(caller: Principal, product: CatalogProduct): CatalogPortfolio[] {
    return this.portfoliosFor(caller).filter((p) => p.productIds.includes(product.id));
  }

  searchProducts(caller: Principal, input: { Filters?: Record<string, string[]>; SortBy?: string; SortOrder?: string; PageSize?: number; PageToken?: string }) {
    const { items, next } = page(searchProductViews(this.visibleProducts(caller), input), input.PageSize, input.PageToken, 100);
    return { ProductViewSummaries: items.map((p) => productViewSummary(p)), ProductViewAggregations: {}, NextPageToken: next };
  }

  describeProduct(caller: Principal, input: { Id?: string; Name?: string }) {
    const product = this.productFor(caller, { id: input.Id, name: input.Name });
    return {
      ProductViewSummary: productViewSummary(product),
      ProvisioningArtifacts: product.artifacts.filter((a) => a.active).map((a) => artifactSummary(a)),
      Budgets: [],
      LaunchPaths: this.launchPathsOf(caller, product).map((p) => ({ Id: p.launchPathId, Name: p.displayName })),
    };
  }

  describeProductView(caller: Principal, input: { Id?: string }) {
    const product = this.visibleProducts(caller).find((p) => p.viewId === input.Id);
    if (!product) throw new ResourceNotFoundException(`Product view not found: ${input.Id}`);
    return { ProductViewSummary: productViewSummary(product), ProvisioningArtifacts: product.artifacts.filter((a) => a.active).map((a) => artifactSummary(a)) };
  }

  listLaunchPaths(caller: Principal, input: { ProductId?: string; PageSize?: number; PageToken?: string }) {
    const product = this.productFor(caller, { id: input.ProductId });
    const { items, next } = page(this.launchPathsOf(caller, product), input.PageSize, input.PageToken, 20);
    return {
      LaunchPathSummaries: items.map((p) => ({
        Id: p.launchPathId,
        Name: p.displayName,
        ConstraintSummaries: constraintSummaries(p, product.id),
        Tags: [],
      })),
      NextPageToken: next,
    };
  }

  artifactFor(product: CatalogProduct, input: { id?: string; name?: string }): CatalogArtifact {
    if (!input.id && !input.name) throw new InvalidParametersException("ProvisioningArtifactId or ProvisioningArtifactName is required.");
    const artifact = product.artifacts.find((a) => (input.id ? a.id === input.id : a.name === input.name));
    if (!artifact) throw new ResourceNotFoundException(`Provisioning artifact not found: ${input.id ?? input.name} (product ${product.id})`);
    return artifact;
  }

  pathFor(caller: Principal, product: CatalogProduct, input: { id?: string; name?: string }): CatalogPortfolio {
    const paths = this.launchPathsOf(caller, product);
    if (input.id || input.name) {
      const path = paths.find((p) => (input.id ? p.launchPathId === input.id : p.displayName === input.name));
      if (!path) throw new ResourceNotFoundException(`Launch path not found: ${input.id ?? input.name}`);
      return path;
    }
    if (paths.length === 1) return paths[0]!;
    throw new InvalidParametersException(`The product ${product.id} has ${paths.length} launch paths; specify PathId.`);
  }

  /** TagOptions of a launch: the portfolio's and the product's, merged by key. */
  tagOptionsFor(product: CatalogProduct, path: CatalogPortfolio): Record<string, string[]> {
    const merged: Record<string, string[]> = {};
    for (const source of [path.tagOptions, product.tagOptions]) {
      for (const [key, values] of Object.entries(source)) merged[key] = [...new Set([...(merged[key] ?? []), ...values])];
    }
    return merged;
  }

  /** AWS's entries in AWS's order (rules, version, launchAsRole, tagUpdateOnProvisionedProduct), then the how-to text. */
  private usageInstructions(product: CatalogProduct, template: Template, path: CatalogPortfolio) {
    return [
      { Type: "rules", Value: "{}" },
      { Type: "version", Value: template.AWSTemplateFormatVersion ?? "2010-09-09" },
      ...(path.launchConstraint ? [{ Type: "launchAsRole", Value: path.launchConstraint.roleArn }] : []),
      { Type: "tagUpdateOnProvisionedProduct", Value: tagUpdatePolicy(path, product.id) },
      ...(product.usageInstructions ? [{ Type: "instructions", Value: product.usageInstructions }] : []),
    ];
  }

  describeProvisioningParameters(caller: Principal, input: { ProductId?: string; ProductName?: string; ProvisioningArtifactId?: string; ProvisioningArtifactName?: string; PathId?: string; PathName?: string }) {
    const product = this.productFor(caller, { id: input.ProductId, name: input.ProductName });
    const artifact = this.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName });
    const path = this.pathFor(caller, product, { id: input.PathId, name: input.PathName });
    const outputs = Object.entries(artifact.template.Outputs ?? {}).map(([key, o]) => ({ Key: key, Description: o.Description }));
    return {
      ProvisioningArtifactParameters: describeTemplateParameters(artifact.template),
      ConstraintSummaries: constraintSummaries(path, product.id),
      UsageInstructions: this.usageInstructions(product, artifact.template, path),
      TagOptions: Object.entries(this.tagOptionsFor(product, path)).map(([Key, Values]) => ({ Key, Values })),
      ProvisioningArtifactPreferences: {},
      ProvisioningArtifactOutputs: outputs,
      ProvisioningArtifactOutputKeys: outputs,
    };
  }

  describeProvisioningArtifact(
    caller: Principal,
    input: { ProductId?: string; ProductName?: string; ProvisioningArtifactId?: string; ProvisioningArtifactName?: string; Verbose?: boolean; IncludeProvisioningArtifactParameters?: boolean },
    templateUrl: (productId: string, artifactId: string) => string,
  ) {
    const product = this.productFor(caller, { id: input.ProductId, name: input.ProductName });
    const artifact = this.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName });
    return {
      ProvisioningArtifactDetail: this.artifactDetail(artifact),
      Info: input.Verbose ? { TemplateUrl: templateUrl(product.id, artifact.id) } : {},
      Status: "AVAILABLE",
      ProvisioningArtifactParameters: input.IncludeProvisioningArtifactParameters ? describeTemplateParameters(artifact.template) : undefined,
    };
  }

  private artifactDetail(artifact: CatalogArtifact) {
    return { ...artifactSummary(artifact), Type: "CLOUD_FORMATION_TEMPLATE", Active: artifact.active };
  }

  listProvisioningArtifacts(caller: Principal, input: { ProductId?: string }) {
    const product = this.productFor(caller, { id: input.ProductId });
    return { ProvisioningArtifactDetails: product.artifacts.map((a) => this.artifactDetail(a)) };
  }

  /** The template behind an artifact (served to TemplateUrl), regardless of caller. */
  templateOf(productId: string, artifactId: string): Template | undefined {
    return this.artifactById(productId, artifactId)?.template;
  }
}
