import type { Principal } from "../core/identity";
import { AdminCatalogReads } from "./admin";
import { UnknownOperationException, AccessDeniedException } from "./errors";
import { isScOperation, PERMISSIONS, type ScOperation } from "./permissions";
import type { ServiceCatalogBackend } from "./state";

/**
 * Service Catalog over AWS JSON 1.1 (moto's responses.py): picks the operation from X-Amz-Target,
 * checks the caller's IAM permission for it and hands the decoded body to the backend.
 */
export const SC_TARGET_PREFIX = "AWS242ServiceCatalogService";

export type ScRequestContext = { templateUrl: (productId: string, artifactId: string) => string };

type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the wire body, checked by the backend

type Handler = (backend: ServiceCatalogBackend, caller: Principal, input: Input, context: ScRequestContext) => unknown;

const HANDLERS: Record<ScOperation, Handler> = {
  SearchProducts: (b, c, i) => b.catalog.searchProducts(c, i),
  DescribeProduct: (b, c, i) => b.catalog.describeProduct(c, i),
  DescribeProductView: (b, c, i) => b.catalog.describeProductView(c, i),
  ListLaunchPaths: (b, c, i) => b.catalog.listLaunchPaths(c, i),
  DescribeProvisioningParameters: (b, c, i) => b.catalog.describeProvisioningParameters(c, i),
  DescribeProvisioningArtifact: (b, c, i, ctx) => b.catalog.describeProvisioningArtifact(c, i, ctx.templateUrl),
  ListProvisioningArtifacts: (b, c, i) => b.catalog.listProvisioningArtifacts(c, i),
  ProvisionProduct: (b, c, i) => b.products.provisionProduct(c, i),
  DescribeRecord: (b, c, i) => b.records.describeRecord(c, i),
  ListRecordHistory: (b, c, i) => b.records.listRecordHistory(c, i),
  SearchProvisionedProducts: (b, c, i) => b.search.searchProvisionedProducts(c, i),
  ScanProvisionedProducts: (b, c, i) => b.search.scanProvisionedProducts(c, i),
  DescribeProvisionedProduct: (b, c, i) => b.products.describeProvisionedProduct(c, i),
  GetProvisionedProductOutputs: (b, c, i) => b.products.getProvisionedProductOutputs(c, i),
  UpdateProvisionedProduct: (b, c, i) => b.products.updateProvisionedProduct(c, i),
  TerminateProvisionedProduct: (b, c, i) => b.products.terminateProvisionedProduct(c, i),
  UpdateProvisionedProductProperties: (b, c, i) => b.products.updateProvisionedProductProperties(c, i),
  CreateProvisionedProductPlan: (b, c, i) => b.plans.createProvisionedProductPlan(c, i),
  DescribeProvisionedProductPlan: (b, c, i) => b.plans.describeProvisionedProductPlan(c, i),
  ExecuteProvisionedProductPlan: (b, c, i) => b.plans.executeProvisionedProductPlan(c, i),
  DeleteProvisionedProductPlan: (b, c, i) => b.plans.deleteProvisionedProductPlan(c, i),
  SearchProductsAsAdmin: (b, _c, i) => new AdminCatalogReads(b.data).searchProductsAsAdmin(i),
  DescribeProductAsAdmin: (b, _c, i) => new AdminCatalogReads(b.data).describeProductAsAdmin(i),
  ListPortfolios: (b, _c, i) => new AdminCatalogReads(b.data).listPortfolios(i),
  ListPortfoliosForProduct: (b, _c, i) => new AdminCatalogReads(b.data).listPortfoliosForProduct(i),
  ListConstraintsForPortfolio: (b, _c, i) => new AdminCatalogReads(b.data).listConstraintsForPortfolio(i),
};

/** The operation named by `X-Amz-Target: AWS242ServiceCatalogService.<Operation>`. */
export function scOperation(target: string): ScOperation {
  const dot = target.lastIndexOf(".");
  const operation = target.slice(dot + 1);
  if (target.slice(0, dot) !== SC_TARGET_PREFIX || !isScOperation(operation)) throw new UnknownOperationException();
  return operation;
}

export function authorizeSc(caller: Principal, operation: ScOperation): void {
  const allowed: readonly string[] = PERMISSIONS[operation];
  if (caller.kind !== "assumed-role" || !allowed.includes(caller.roleName)) {
    throw new AccessDeniedException(caller.arn, `servicecatalog:${operation}`);
  }
}

export function handleSc(backend: ServiceCatalogBackend, caller: Principal, operation: ScOperation, input: Input, context: ScRequestContext): unknown {
  authorizeSc(caller, operation);
  return HANDLERS[operation](backend, caller, input, context);
}
