/**
 * The body of a launch or update request: one schema, built from the product version's
 * parameters and TagOptions, that the launch form's resolver and the route handler both parse.
 *
 * TagOptions follow Service Catalog's launch rules: the user picks one value for each TagOption
 * key; a key with a single value is applied without asking. Every TagOption key therefore ends
 * up as a tag, so all of them count toward AWS's 50-tag limit and a custom tag may not reuse one.
 * A TagOption key that is also a reserved key is not offered (the portal's value wins, as for
 * custom tags) and is refused if sent.
 */
import { z } from "zod";
import { buildParameterSchema, type ParameterValues, type ProvisioningParameter, type TemplateMetadata } from "./parameters";
import { provisionedProductNameSchema, uniqueProvisionedProductNameSchema } from "./provisioned-product-name";
import { isReservedTagKey, userTagsSchema, type Tag } from "./tags";

/** TagOptions as DescribeProvisioningParameters returns them: allowed values per key. */
export type TagOptionChoices = { key: string; values: string[] };

export type ProvisionRequest = {
  name: string;
  productId: string;
  provisioningArtifactId: string;
  pathId?: string;
  parameters: ParameterValues;
  tags: Tag[];
  /** The chosen value per TagOption key, single-value keys filled in. */
  tagOptions: Record<string, string>;
};

/** What a client sends: tags and tagOptions may be left out. */
export type ProvisionRequestInput = {
  name: string;
  productId: string;
  provisioningArtifactId: string;
  pathId?: string | undefined;
  parameters: ParameterValues;
  tags?: Tag[] | undefined;
  tagOptions?: Record<string, string> | undefined;
};

export type ProvisionRequestSchemaOptions = {
  parameters: readonly ProvisioningParameter[];
  metadata?: TemplateMetadata;
  reservedKeys: readonly string[];
  tagOptions?: readonly TagOptionChoices[];
  /** "update": blank NoEcho values keep the current secret; see buildParameterSchema. */
  mode?: "launch" | "update";
  /** Names already in use; the product's own name must be left out for an update. */
  existingNames?: Iterable<string>;
};

/** The TagOption keys offered for choice, with their allowed values (reserved keys left out). */
export function offeredTagOptions(tagOptions: readonly TagOptionChoices[], reservedKeys: readonly string[]): Map<string, string[]> {
  const offered = new Map<string, string[]>();
  for (const option of tagOptions) {
    if (option.key.trim() === "" || isReservedTagKey(option.key, reservedKeys)) continue;
    const values = offered.get(option.key) ?? [];
    for (const value of option.values) if (!values.includes(value)) values.push(value);
    offered.set(option.key, values);
  }
  return offered;
}

/** The form's starting choices: the only value of single-value keys, "" (choose) for the rest. */
export function initialTagOptionValues(tagOptions: readonly TagOptionChoices[], reservedKeys: readonly string[]): Record<string, string> {
  const initial: Record<string, string> = {};
  for (const [key, values] of offeredTagOptions(tagOptions, reservedKeys)) initial[key] = values.length === 1 ? (values[0] ?? "") : "";
  return initial;
}

/** The tags the chosen TagOptions add, in the offered order. */
export function tagOptionTags(chosen: Record<string, string>): Tag[] {
  return Object.entries(chosen).map(([key, value]) => ({ key, value }));
}

/** Service Catalog ids (prod-…, pa-…, lpv…): AWS's Id shape, 1..100 of [a-zA-Z0-9_-]. */
function idSchema(what: string) {
  return z
    .string({ error: `Choose ${what}` })
    .trim()
    .superRefine((id, ctx) => {
      if (id === "") ctx.addIssue({ code: "custom", message: `Choose ${what}` });
      else if (!/^[a-zA-Z0-9_-]{1,100}$/.test(id)) ctx.addIssue({ code: "custom", message: `"${id.slice(0, 40)}" is not a valid id for ${what}` });
    });
}

export function buildProvisionRequestSchema(options: ProvisionRequestSchemaOptions): z.ZodType<ProvisionRequest, ProvisionRequestInput> {
  const { reservedKeys } = options;
  const offered = offeredTagOptions(options.tagOptions ?? [], reservedKeys);
  const tagOptionKeys = [...offered.keys()];

  const tagOptionsSchema = z
    .record(z.string(), z.string())
    .optional()
    .superRefine((chosen, ctx) => {
      const given = chosen ?? {};
      for (const [key, value] of Object.entries(given)) {
        const allowed = offered.get(key);
        if (isReservedTagKey(key, reservedKeys)) {
          ctx.addIssue({ code: "custom", path: [key], message: `Tag option "${key}" uses a reserved tag key: the portal sets it for you` });
        } else if (!allowed) {
          ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is not a tag option of this product` });
        } else if (value === "" && allowed.length > 1) {
          ctx.addIssue({ code: "custom", path: [key], message: `Choose a value for the tag option "${key}"` });
        } else if (value !== "" && !allowed.includes(value)) {
          ctx.addIssue({ code: "custom", path: [key], message: `Tag option "${key}" must be one of: ${allowed.join(", ")}` });
        }
      }
      for (const [key, values] of offered) {
        if (given[key] === undefined && values.length > 1) {
          ctx.addIssue({ code: "custom", path: [key], message: `Choose a value for the tag option "${key}"` });
        }
      }
    })
    .transform((chosen) => {
      // Single-value keys are applied without asking, as Service Catalog does.
      const out: Record<string, string> = {};
      for (const [key, values] of offered) {
        const value = chosen?.[key];
        out[key] = value !== undefined && value !== "" ? value : (values[0] ?? "");
      }
      return out;
    });

  const nameSchema =
    options.existingNames === undefined ? provisionedProductNameSchema : uniqueProvisionedProductNameSchema(options.existingNames);

  const schema = z.object({
    name: nameSchema,
    productId: idSchema("a product"),
    provisioningArtifactId: idSchema("a product version"),
    pathId: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), idSchema("a launch path").optional()),
    parameters: buildParameterSchema(options.parameters, {
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
    }),
    tags: userTagsSchema(reservedKeys, { otherTagKeys: tagOptionKeys }).default([]),
    tagOptions: tagOptionsSchema,
  });
  return schema.transform((body): ProvisionRequest => {
    const request: ProvisionRequest = {
      name: body.name,
      productId: body.productId,
      provisioningArtifactId: body.provisioningArtifactId,
      parameters: body.parameters,
      tags: body.tags,
      tagOptions: body.tagOptions,
    };
    if (body.pathId !== undefined) request.pathId = body.pathId;
    return request;
  }) as unknown as z.ZodType<ProvisionRequest, ProvisionRequestInput>;
}
