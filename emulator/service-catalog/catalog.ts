import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { stableId } from "../core/ids";
import { parseTemplate, type Template } from "../cloudformation/template";

/**
 * The catalog an administrator set up, read from catalog/catalog.json and the templates next to
 * it. Ids derive from the keys so they are the same after every reset and restart.
 */
const tagOptions = z.record(z.string(), z.array(z.string()).min(1)).default({});

/** A constraint on a product in a portfolio, as CreateConstraint makes it (only RESOURCE_UPDATE so far). */
const constraint = z.object({
  type: z.literal("RESOURCE_UPDATE"),
  product: z.string(),
  description: z.string().default(""),
  tagUpdateOnProvisionedProduct: z.enum(["ALLOWED", "NOT_ALLOWED"]),
});

const catalogFile = z.object({
  exports: z.record(z.string(), z.string()).default({}),
  portfolios: z.array(
    z.object({
      key: z.string(),
      displayName: z.string(),
      description: z.string().default(""),
      providerName: z.string().default(""),
      createdTime: z.string(),
      principals: z.array(z.string()),
      launchConstraint: z.object({ roleArn: z.string(), description: z.string() }).optional(),
      tagOptions,
      products: z.array(z.string()),
      constraints: z.array(constraint).default([]),
    }),
  ),
  products: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      owner: z.string(),
      distributor: z.string().default(""),
      shortDescription: z.string(),
      supportEmail: z.string().optional(),
      supportUrl: z.string().optional(),
      supportDescription: z.string().optional(),
      usageInstructions: z.string().default(""),
      createdTime: z.string(),
      tagOptions,
      versions: z
        .array(
          z.object({
            name: z.string(),
            description: z.string().default(""),
            template: z.string(),
            deprecated: z.boolean().default(false),
            active: z.boolean().default(true),
            createdTime: z.string(),
          }),
        )
        .min(1),
    }),
  ),
});

export type CatalogArtifact = {
  id: string;
  name: string;
  description: string;
  createdTime: string;
  deprecated: boolean;
  active: boolean;
  templateFile: string;
  template: Template;
};

export type CatalogProduct = {
  id: string;
  viewId: string;
  key: string;
  name: string;
  owner: string;
  distributor: string;
  shortDescription: string;
  supportEmail?: string;
  supportUrl?: string;
  supportDescription?: string;
  usageInstructions: string;
  createdTime: string;
  tagOptions: Record<string, string[]>;
  artifacts: CatalogArtifact[];
};

export type TagUpdatePolicy = "ALLOWED" | "NOT_ALLOWED";

export type ResourceUpdateConstraint = {
  id: string;
  type: "RESOURCE_UPDATE";
  productId: string;
  description: string;
  tagUpdateOnProvisionedProduct: TagUpdatePolicy;
};

export type CatalogPortfolio = {
  id: string;
  launchPathId: string;
  key: string;
  displayName: string;
  description: string;
  providerName: string;
  createdTime: string;
  principals: string[];
  launchConstraint?: { roleArn: string; description: string };
  tagOptions: Record<string, string[]>;
  productIds: string[];
  constraints: ResourceUpdateConstraint[];
};

export type Catalog = { portfolios: CatalogPortfolio[]; products: CatalogProduct[]; exports: Record<string, string> };

export function loadCatalog(catalogDir: string): Catalog {
  const file = path.join(catalogDir, "catalog.json");
  const parsed = catalogFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
  const spec = parsed.data;
  const products: CatalogProduct[] = spec.products.map((p) => ({
    id: stableId("prod-", `product/${p.key}`),
    viewId: stableId("prodview-", `productview/${p.key}`),
    key: p.key,
    name: p.name,
    owner: p.owner,
    distributor: p.distributor,
    shortDescription: p.shortDescription,
    ...(p.supportEmail ? { supportEmail: p.supportEmail } : {}),
    ...(p.supportUrl ? { supportUrl: p.supportUrl } : {}),
    ...(p.supportDescription ? { supportDescription: p.supportDescription } : {}),
    usageInstructions: p.usageInstructions,
    createdTime: p.createdTime,
    tagOptions: p.tagOptions,
    artifacts: p.versions.map((v) => ({
      id: stableId("pa-", `artifact/${p.key}/${v.name}`),
      name: v.name,
      description: v.description,
      createdTime: v.createdTime,
      deprecated: v.deprecated,
      active: v.active,
      templateFile: v.template,
      template: parseTemplate(readFileSync(path.join(catalogDir, v.template), "utf8"), v.template),
    })),
  }));
  const byKey = new Map(products.map((p) => [p.key, p]));
  const portfolios: CatalogPortfolio[] = spec.portfolios.map((f) => ({
    id: stableId("port-", `portfolio/${f.key}`),
    launchPathId: stableId("lpv3-", `launchpath/${f.key}`),
    key: f.key,
    displayName: f.displayName,
    description: f.description,
    providerName: f.providerName,
    createdTime: f.createdTime,
    principals: f.principals,
    ...(f.launchConstraint ? { launchConstraint: f.launchConstraint } : {}),
    tagOptions: f.tagOptions,
    productIds: f.products.map((key) => {
      const product = byKey.get(key);
      if (!product) throw new Error(`${file}: portfolio ${f.key} lists unknown product ${key}`);
      return product.id;
    }),
    constraints: f.constraints.map((c, i) => {
      // AWS attaches a constraint to a product in a portfolio, and allows one of each type there.
      if (!f.products.includes(c.product)) throw new Error(`${file}: portfolio ${f.key} has a ${c.type} constraint for ${c.product}, which it does not list`);
      if (f.constraints.findIndex((o) => o.type === c.type && o.product === c.product) !== i) {
        throw new Error(`${file}: portfolio ${f.key} has more than one ${c.type} constraint for ${c.product}`);
      }
      return {
        id: stableId("cons-", `constraint/${f.key}/${c.product}/${c.type}`),
        type: c.type,
        productId: byKey.get(c.product)!.id,
        description: c.description,
        tagUpdateOnProvisionedProduct: c.tagUpdateOnProvisionedProduct,
      };
    }),
  }));
  return { portfolios, products, exports: spec.exports };
}
