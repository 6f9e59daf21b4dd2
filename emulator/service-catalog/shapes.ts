import type { Stack } from "../cloudformation/stack";
import type { CatalogViews } from "./catalog-views";
import type { ProvisionedProduct, RecordEntry } from "./state";

/** The wire shapes of records and provisioned products, as the operations return them. */

export function date(ms: number): Date {
  return new Date(ms);
}

export function recordDetail(record: RecordEntry) {
  return {
    RecordId: record.id,
    ProvisionedProductName: record.provisionedProductName,
    Status: record.status,
    CreatedTime: date(record.createdTime),
    UpdatedTime: date(record.updatedTime),
    ProvisionedProductType: "CFN_STACK",
    RecordType: record.type,
    ProvisionedProductId: record.provisionedProductId,
    ProductId: record.productId,
    ProvisioningArtifactId: record.artifactId,
    PathId: record.pathId,
    RecordErrors: record.errors,
    RecordTags: record.tags,
    LaunchRoleArn: record.launchRoleArn,
  };
}

export function outputsOf(pp: ProvisionedProduct, stack: Stack) {
  return [
    { OutputKey: "CloudformationStackARN", OutputValue: pp.stackId, Description: "The ARN of the launched Cloudformation Stack" },
    ...stack.outputs.map((o) => ({ OutputKey: o.OutputKey, OutputValue: o.OutputValue, ...(o.Description ? { Description: o.Description } : {}) })),
  ];
}

/** Fields ProvisionedProductAttribute (search/scan) and ProvisionedProductDetail (describe) share. */
export function common(pp: ProvisionedProduct) {
  return {
    Name: pp.name,
    Arn: pp.arn,
    Type: pp.type,
    Id: pp.id,
    Status: pp.status,
    StatusMessage: pp.statusMessage,
    CreatedTime: date(pp.createdTime),
    IdempotencyToken: pp.idempotencyToken,
    LastRecordId: pp.lastRecordId,
    LastProvisioningRecordId: pp.lastProvisioningRecordId,
    LastSuccessfulProvisioningRecordId: pp.lastSuccessfulProvisioningRecordId,
    ProductId: pp.productId,
    ProvisioningArtifactId: pp.artifactId,
  };
}

export function attribute(catalog: CatalogViews, pp: ProvisionedProduct) {
  return {
    ...common(pp),
    Tags: pp.tags,
    PhysicalId: pp.stackId,
    ProductName: catalog.productById(pp.productId)?.name,
    ProvisioningArtifactName: catalog.artifactById(pp.productId, pp.artifactId)?.name,
    UserArn: pp.userArn,
    UserArnSession: pp.userArnSession,
  };
}

export function detail(pp: ProvisionedProduct) {
  return { ...common(pp), LaunchRoleArn: pp.launchRoleArn };
}
