import "server-only";
import { asUser, sc } from "@/lib/aws/service-catalog";
import { identityOf } from "@/lib/services/identity";
import { logger } from "@/lib/logger";
import { NotFoundError } from "@/lib/errors";
import { isServiceCatalogId } from "@/lib/domain/ids";
import type { User } from "@/generated/prisma/client";
import YAML from "yaml";
import { templateMetadataFromTemplate, type TemplateMetadata } from "@/lib/domain/parameters";
import type { CatalogProduct, ProductDetail, ProductVersion, ProvisioningForm, TemplateResource } from "@/lib/domain/catalog";

export type { CatalogProduct, LaunchPath, ProductDetail, ProductVersion, ProvisioningForm, TagOption, TemplateResource } from "@/lib/domain/catalog";

// Catalog data changes rarely, but what a person may see depends on their role: cache per user.
const TTL_MS = 60_000;
/** Entries kept at most (oldest dropped first): a person's catalog, products and forms, for many people. */
const MAX_ENTRIES = 5_000;
const cache = new Map<string, { expires: number; value: Promise<unknown> }>();

/**
 * The answer for `key` for a minute, shared by the calls that ask while it is on its way: four
 * launches of one product at once ask AWS for its form once, not four times. A failure is not
 * kept (the next call asks AWS again).
 */
function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  const value = load();
  cache.delete(key);
  cache.set(key, { expires: now + TTL_MS, value });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_ENTRIES) break;
    cache.delete(oldest);
  }
  return value;
}

export async function listCatalog(user: User): Promise<CatalogProduct[]> {
  return cached(`${user.id}:catalog`, () => asUser(identityOf(user), "Loading the catalog", (client) => sc.searchProducts(client)));
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
      const described = await sc.describeProduct(client, productId);
      if (!described) throw new NotFoundError("That product is not in your catalog.");
      return { ...described, defaultVersionId: defaultVersion(described.versions)?.id ?? null };
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
      const described = await sc.provisioningParameters(client, input);
      const template = described.templateUrl ? await readTemplate(described.templateUrl) : { metadata: { labels: {}, groups: [] }, resources: [] };
      return {
        parameters: described.parameters,
        metadata: template.metadata,
        resources: template.resources,
        // AWS also lists technical entries (rules, version, launchAsRole, …); people need the how-to text.
        usageInstructions: described.usageInstructions.filter((u) => u.value && !TECHNICAL_USAGE_TYPES.has(u.type)),
        tagOptions: described.tagOptions,
        tagUpdatesAllowed: described.usageInstructions.some((u) => u.type === "tagUpdateOnProvisionedProduct" && u.value === "ALLOWED"),
        outputKeys: described.outputKeys,
      };
    }),
  );
}

const TECHNICAL_USAGE_TYPES = new Set(["rules", "version", "tagUpdateOnProvisionedProduct", "launchAsRole", "launchRole"]);

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
