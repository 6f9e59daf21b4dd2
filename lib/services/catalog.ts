import "server-only";
import { asUser, sc } from "@/lib/aws/service-catalog";
import { identityOf } from "@/lib/services/identity";
import { logger } from "@/lib/logger";
import { NotFoundError } from "@/lib/errors";
import { isServiceCatalogId } from "@/lib/domain/ids";
import type { User } from "@/generated/prisma/client";
import YAML from "yaml";
import { templateMetadataFromTemplate, type ProvisioningParameter, type TemplateMetadata } from "@/lib/domain/parameters";

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

// Catalog data changes rarely, but what a person may see depends on their role: cache per user.
const TTL_MS = 60_000;
const cache = new Map<string, { expires: number; value: unknown }>();

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && hit.expires > Date.now()) return hit.value as T;
  const value = await load();
  cache.set(key, { expires: Date.now() + TTL_MS, value });
  return value;
}

export async function listCatalog(user: User): Promise<CatalogProduct[]> {
  return cached(`${user.id}:catalog`, () =>
    asUser(identityOf(user), "Loading the catalog", async (client) => {
      const products: CatalogProduct[] = [];
      let token: string | undefined;
      do {
        const page = await sc.searchProducts(client, token);
        for (const view of page.ProductViewSummaries ?? []) {
          if (!view.ProductId) continue;
          products.push({
            productId: view.ProductId,
            name: view.Name ?? view.ProductId,
            owner: view.Owner ?? "",
            distributor: view.Distributor ?? "",
            shortDescription: view.ShortDescription ?? "",
          });
        }
        token = page.NextPageToken || undefined;
      } while (token);
      return products.sort((a, b) => a.name.localeCompare(b.name));
    }),
  );
}

/** The newest version that is not deprecated; AWS lists versions oldest first. */
export function defaultVersion(versions: ProductVersion[]): ProductVersion | undefined {
  const byNewest = [...versions].sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  return byNewest.find((v) => !v.deprecated) ?? byNewest[0];
}

export async function getProductDetail(user: User, productId: string): Promise<ProductDetail> {
  // A forged or mistyped id is not worth an AWS call (nor a cache entry).
  if (!isServiceCatalogId("product", productId)) throw new NotFoundError("That product is not in your catalog.");
  return cached(`${user.id}:product:${productId}`, () =>
    asUser(identityOf(user), "Loading the product", async (client) => {
      const [described, paths] = await Promise.all([sc.describeProduct(client, productId), sc.listLaunchPaths(client, productId)]);
      const view = described.ProductViewSummary;
      if (!view?.ProductId) throw new NotFoundError("That product is not in your catalog.");
      const versions: ProductVersion[] = (described.ProvisioningArtifacts ?? []).map((a) => ({
        id: a.Id ?? "",
        name: a.Name ?? a.Id ?? "",
        description: a.Description ?? "",
        deprecated: a.Guidance === "DEPRECATED",
        createdAt: a.CreatedTime ? new Date(a.CreatedTime).toISOString() : null,
      }));
      return {
        productId: view.ProductId,
        name: view.Name ?? view.ProductId,
        owner: view.Owner ?? "",
        distributor: view.Distributor ?? "",
        shortDescription: view.ShortDescription ?? "",
        supportDescription: view.SupportDescription ?? null,
        supportEmail: view.SupportEmail ?? null,
        supportUrl: view.SupportUrl ?? null,
        versions,
        defaultVersionId: defaultVersion(versions)?.id ?? null,
        launchPaths: (paths.LaunchPathSummaries ?? []).map((p) => ({ id: p.Id ?? "", name: p.Name ?? p.Id ?? "" })),
      };
    }),
  );
}

/**
 * Everything the launch form needs for one product version: parameters with their constraints,
 * template labels and groups (from the template itself, when AWS gives its URL), usage
 * instructions and TagOptions.
 */
export async function getProvisioningForm(user: User, input: { productId: string; artifactId: string; pathId?: string }): Promise<ProvisioningForm> {
  if (!isServiceCatalogId("product", input.productId) || !isServiceCatalogId("version", input.artifactId) || (input.pathId !== undefined && !isServiceCatalogId("launchPath", input.pathId))) {
    throw new NotFoundError("That product version is not in your catalog.");
  }
  return cached(`${user.id}:form:${input.productId}:${input.artifactId}:${input.pathId ?? ""}`, () =>
    asUser(identityOf(user), "Loading the product's parameters", async (client) => {
      const [described, artifact] = await Promise.all([
        sc.describeProvisioningParameters(client, input),
        sc.describeProvisioningArtifact(client, input.productId, input.artifactId).catch(() => undefined),
      ]);
      const parameters: ProvisioningParameter[] = (described.ProvisioningArtifactParameters ?? []).map((p) => ({
        key: p.ParameterKey ?? "",
        type: p.ParameterType ?? "String",
        ...(p.DefaultValue !== undefined ? { defaultValue: p.DefaultValue } : {}),
        noEcho: p.IsNoEcho ?? false,
        ...(p.Description ? { description: p.Description } : {}),
        constraints: {
          ...(p.ParameterConstraints?.AllowedValues?.length ? { allowedValues: p.ParameterConstraints.AllowedValues } : {}),
          ...(p.ParameterConstraints?.AllowedPattern ? { allowedPattern: p.ParameterConstraints.AllowedPattern } : {}),
          ...(p.ParameterConstraints?.ConstraintDescription ? { constraintDescription: p.ParameterConstraints.ConstraintDescription } : {}),
          ...numeric("minLength", p.ParameterConstraints?.MinLength),
          ...numeric("maxLength", p.ParameterConstraints?.MaxLength),
          ...numeric("minValue", p.ParameterConstraints?.MinValue),
          ...numeric("maxValue", p.ParameterConstraints?.MaxValue),
        },
      }));
      const templateUrl = artifact?.Info?.TemplateUrl;
      const template = templateUrl ? await readTemplate(templateUrl) : { metadata: { labels: {}, groups: [] }, resources: [] };
      return {
        parameters,
        metadata: template.metadata,
        resources: template.resources,
        // AWS also lists technical entries (rules, version, launchAsRole, …); people need the how-to text.
        usageInstructions: (described.UsageInstructions ?? [])
          .filter((u) => u.Value && !TECHNICAL_USAGE_TYPES.has(u.Type ?? ""))
          .map((u) => ({ type: u.Type ?? "", value: u.Value ?? "" })),
        tagOptions: (described.TagOptions ?? []).map((t) => ({ key: t.Key ?? "", values: t.Values ?? [] })),
        tagUpdatesAllowed: (described.UsageInstructions ?? []).some((u) => u.Type === "tagUpdateOnProvisionedProduct" && u.Value === "ALLOWED"),
        outputKeys: (described.ProvisioningArtifactOutputKeys ?? described.ProvisioningArtifactOutputs ?? []).map((o) => ({
          key: o.Key ?? "",
          description: o.Description ?? "",
        })),
      };
    }),
  );
}

const TECHNICAL_USAGE_TYPES = new Set(["rules", "version", "tagUpdateOnProvisionedProduct", "launchAsRole", "launchRole"]);

function numeric(name: string, value: string | undefined): Record<string, number> {
  if (value === undefined || value === "") return {};
  const n = Number(value);
  return Number.isFinite(n) ? { [name]: n } : {};
}

/**
 * Labels and groups (AWS::CloudFormation::Interface) and the resources a template creates, read from
 * the template URL AWS gives for the version. Optional: the form works without them.
 */
async function readTemplate(url: string): Promise<{ metadata: TemplateMetadata; resources: TemplateResource[] }> {
  const empty = { metadata: { labels: {}, groups: [] }, resources: [] };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return empty;
    // YAML is a superset of JSON; CloudFormation's short tags (!Ref …) parse as plain values.
    const template = YAML.parse(await response.text(), { logLevel: "silent", customTags: cfnTags }) as {
      Metadata?: unknown;
      Resources?: Record<string, { Type?: string; DeletionPolicy?: string }>;
    };
    return {
      metadata: templateMetadataFromTemplate(template?.Metadata),
      resources: Object.entries(template?.Resources ?? {}).map(([logicalId, r]) => ({ logicalId, type: r?.Type ?? "", retain: r?.DeletionPolicy === "Retain" })),
    };
  } catch (err) {
    logger.debug({ err }, "template not readable; using parameter names as labels");
    return empty;
  }
}

const cfnTags: YAML.Tags = ["Ref", "Sub", "GetAtt", "Join", "If", "Equals", "Not", "And", "Or", "Select", "Split", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Condition"].flatMap((name) =>
  (["scalar", "seq", "map"] as const).map((nodeClass) => ({ tag: `!${name}`, collection: nodeClass === "scalar" ? undefined : nodeClass, resolve: (value: unknown) => ({ [`Fn::${name}`]: value }) }) as YAML.ScalarTag | YAML.CollectionTag),
);
