import type { RoleName } from "../core/identity";

/**
 * Which role may call which operation: the IAM policies of the two roles, as data. The base IAM
 * user has no Service Catalog permissions at all (the portal must act as its users).
 */
const ENDUSER: RoleName = "ServiceCatalogEndusers";
const ADMIN: RoleName = "ServiceCatalogAdmins";
const EVERYONE = [ENDUSER, ADMIN];

export const PERMISSIONS = {
  SearchProducts: EVERYONE,
  DescribeProduct: EVERYONE,
  DescribeProductView: EVERYONE,
  ListLaunchPaths: EVERYONE,
  DescribeProvisioningParameters: EVERYONE,
  DescribeProvisioningArtifact: EVERYONE,
  ListProvisioningArtifacts: EVERYONE,
  ProvisionProduct: EVERYONE,
  DescribeRecord: EVERYONE,
  ListRecordHistory: EVERYONE,
  SearchProvisionedProducts: EVERYONE,
  ScanProvisionedProducts: EVERYONE,
  DescribeProvisionedProduct: EVERYONE,
  GetProvisionedProductOutputs: EVERYONE,
  UpdateProvisionedProduct: EVERYONE,
  TerminateProvisionedProduct: EVERYONE,
  UpdateProvisionedProductProperties: [ADMIN],
  CreateProvisionedProductPlan: EVERYONE,
  DescribeProvisionedProductPlan: EVERYONE,
  ExecuteProvisionedProductPlan: EVERYONE,
  DeleteProvisionedProductPlan: EVERYONE,
  // Catalog administration reads (AWSServiceCatalogAdminReadOnlyAccess); the end-user policy has none of them.
  SearchProductsAsAdmin: [ADMIN],
  DescribeProductAsAdmin: [ADMIN],
  ListPortfolios: [ADMIN],
  ListPortfoliosForProduct: [ADMIN],
  ListConstraintsForPortfolio: [ADMIN],
} satisfies Record<string, RoleName[]>;

export type ScOperation = keyof typeof PERMISSIONS;

/** servicecatalog:accountLevel / roleLevel / userLevel: the AccessLevelFilter keys each role may use. */
export const ACCESS_LEVELS: Record<RoleName, Array<"User" | "Role" | "Account">> = {
  ServiceCatalogEndusers: ["User"],
  ServiceCatalogAdmins: ["User", "Role", "Account"],
};

export function isScOperation(name: string): name is ScOperation {
  return Object.hasOwn(PERMISSIONS, name);
}
