/**
 * The catalog in the portal's own words: what lib/aws returns from Service Catalog and what the
 * pages and forms show. Types only; no SDK shape appears here or above lib/aws.
 */
import type { ProvisioningParameter, TemplateMetadata } from "@/lib/domain/parameters";

export type CatalogProduct = {
  productId: string;
  name: string;
  owner: string;
  distributor: string;
  shortDescription: string;
};

export type ProductVersion = { id: string; name: string; description: string; deprecated: boolean; createdAt: string | null };
export type LaunchPath = { id: string; name: string };

export type ProductDetail = CatalogProduct & {
  supportDescription: string | null;
  supportEmail: string | null;
  supportUrl: string | null;
  versions: ProductVersion[];
  defaultVersionId: string | null;
  launchPaths: LaunchPath[];
};

export type TagOption = { key: string; values: string[] };

/** A resource the product's template creates; `retain`: DeletionPolicy Retain (kept on terminate). */
export type TemplateResource = { logicalId: string; type: string; retain: boolean };

export type ProvisioningForm = {
  parameters: ProvisioningParameter[];
  metadata: TemplateMetadata;
  resources: TemplateResource[];
  usageInstructions: { type: string; value: string }[];
  tagOptions: TagOption[];
  outputKeys: { key: string; description: string }[];
  /**
   * Whether AWS applies tag changes when the product is updated: only where a RESOURCE_UPDATE
   * constraint says TagUpdateOnProvisionedProduct ALLOWED (AWS reports it among the usage
   * instructions as `tagUpdateOnProvisionedProduct`). Absent: not allowed.
   */
  tagUpdatesAllowed: boolean;
};
