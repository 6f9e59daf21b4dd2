/**
 * The body of a launch or update request: one schema, built from the product version's
 * parameters, template labels and TagOptions, that the launch form and the route handler both
 * get from `provisionRequestSchema` with the same arguments (so a value the form accepts is
 * accepted by the server, with the same words when it is not).
 *
 * Two steps on the server: `provisionRequestEnvelope` first checks what must hold before AWS is
 * asked anything (JSON shape, id shapes, sizes), so a malformed or oversize request costs no AWS
 * call; then the full schema, once the product's parameters are known, reports every problem at
 * once. The full schema repeats the envelope's rules, so the form (which has only the full
 * schema) says the same.
 *
 * TagOptions follow Service Catalog's launch rules: the user picks one value for each TagOption
 * key; a key with a single value is applied without asking. Every TagOption key therefore ends
 * up as a tag, so all of them count toward AWS's 50-tag limit and a custom tag may not reuse one.
 * A TagOption key that is also a reserved key is not offered (the portal's value wins, as for
 * custom tags) and is refused if sent.
 *
 * Versions: a new product may not use a deprecated version (AWS refuses it); an existing product
 * may stay on a deprecated version but not move to another deprecated one (AWS: "users are able
 * to make updates to a provisioned product of a deprecated version but cannot launch new
 * provisioned products using a deprecated version").
 */
import { z } from "zod";
import { buildParameterSchema } from "./parameter-schema";
import { quoteForMessage, serviceCatalogIdSchema } from "./ids";
import {
  describeField,
  MAX_PARAMETERS,
  PARAMETER_KEY_PATTERN,
  parameterValueSizeIssue,
  type ParameterValues,
  type ProvisioningParameter,
  type TemplateMetadata,
} from "./parameters";
import { PROVISIONED_PRODUCT_NAME_MAX_LENGTH, provisionedProductNameSchema, uniqueProvisionedProductNameSchema } from "./provisioned-product-name";
import { isSharingParameter, sharedListIssues, sharedListOf, type SharingRules } from "./sharing";
import { isReservedTagKey, TAG_KEY_MAX_LENGTH, TAG_VALUE_MAX_LENGTH, MAX_TAGS_PER_RESOURCE, type Tag } from "./tags";
import { tagListEnvelope, userTagsSchema } from "./tag-schema";
import { offeredTagOptions, tagOptionTags, type RequestMode, type TagOptionChoices } from "./provision-form";

export { initialTagOptionValues, offeredTagOptions, tagOptionTags, versionIssue, type RequestMode, type TagOptionChoices, type VersionChoice } from "./provision-form";

/** TagOptions as DescribeProvisioningParameters returns them: allowed values per key. */

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

/** What the schema needs to know of a product version (the portal's ProvisioningForm has it). */
export type ProvisioningFormDefinition = {
  parameters: readonly ProvisioningParameter[];
  metadata: TemplateMetadata;
  tagOptions: readonly TagOptionChoices[];
};


export type ProvisionRequestSchemaOptions = {
  reservedKeys: readonly string[];
  /** "update": blank NoEcho values keep the current secret; see buildParameterSchema. */
  mode: RequestMode;
  /** Names already in use; the product's own name must be left out for an update. */
  existingNames?: Iterable<string>;
  /** Parameters the portal sets from the owner's identity (OWNER_BOUND_PARAMETERS): refused when sent. */
  ownerBoundKeys: readonly string[];
  /** The sharing parameter's rules (lib/domain/sharing.ts): each entry, the allow-list, the size limit. */
  sharing?: SharingRules;
};

/**
 * The one schema of a launch or update body for this product version. The launch form and the
 * server call this with the same form definition and options.
 */
export function provisionRequestSchema(
  form: ProvisioningFormDefinition,
  options: ProvisionRequestSchemaOptions,
): z.ZodType<ProvisionRequest, ProvisionRequestInput> {
  const { reservedKeys } = options;
  const offered = offeredTagOptions(form.tagOptions, reservedKeys);
  const tagOptionKeys = [...offered.keys()];
  const labels = new Map(form.parameters.map((p) => [p.key, describeField(p, form.metadata).label] as const));

  const tagOptionsSchema = tagOptionMapEnvelope
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
        if ((given as Record<string, string>)[key] === undefined && values.length > 1) {
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

  const schema = z.strictObject(
    {
      name: nameSchema,
      productId: serviceCatalogIdSchema("product"),
      provisioningArtifactId: serviceCatalogIdSchema("version"),
      pathId: optionalLaunchPath,
      parameters: parameterMapEnvelope((key) => labels.get(key) ?? key)
        .pipe(buildParameterSchema(form.parameters, { metadata: form.metadata, mode: options.mode, ownerBoundKeys: options.ownerBoundKeys }) as z.ZodType<ParameterValues, Record<string, unknown>>)
        .superRefine((values, ctx) => {
          const sharing = options.sharing;
          if (!sharing) return;
          for (const param of form.parameters) {
            if (!isSharingParameter(param.key, sharing.key) || values[param.key] === undefined) continue;
            const label = labels.get(param.key) ?? param.key;
            for (const issue of sharedListIssues(sharedListOf(values[param.key]), sharing)) {
              ctx.addIssue({ code: "custom", path: issue.index === null ? [param.key] : [param.key, issue.index], message: `${label}: ${issue.message}` });
            }
          }
        }),
      tags: userTagsSchema(reservedKeys, { otherTagKeys: tagOptionKeys }).default([]),
      tagOptions: tagOptionsSchema,
    },
    { error: bodyShapeError },
  );
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

const BODY_SHAPE_MESSAGE = "The request must be a JSON object with name, productId, provisioningArtifactId and parameters";
/** A body that is not an object gets a sentence; other issues (an unknown key) keep zod's words, which name the key. */
const bodyShapeError = (issue: { code: string }) => (issue.code === "invalid_type" ? BODY_SHAPE_MESSAGE : undefined);

const optionalLaunchPath = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), serviceCatalogIdSchema("launchPath").optional());

/**
 * Parameters as sent: at most 200 names of letters and digits, values that fit CloudFormation's
 * size limit. `labelOf` names them as the form does when the product is known.
 */
const parameterMapEnvelope = (labelOf: (key: string) => string = (key) => key) =>
  z.record(z.string(), z.unknown(), { error: "parameters must be an object of parameter names and values" }).superRefine((values, ctx) => {
  const keys = Object.keys(values);
  if (keys.length > MAX_PARAMETERS) {
    ctx.addIssue({ code: "custom", message: `Too many parameters: a product has at most ${MAX_PARAMETERS} (this request has ${keys.length})` });
    return;
  }
  for (const key of keys) {
    const value = values[key];
    if (!PARAMETER_KEY_PATTERN.test(key)) {
      ctx.addIssue({ code: "custom", path: [key], message: `${quoteForMessage(key)} is not a parameter name (letters and digits only)` });
    } else if (Array.isArray(value)) {
      if (value.some((item) => typeof item !== "string")) ctx.addIssue({ code: "custom", path: [key], message: `${labelOf(key)}: each item must be text` });
      else {
        const tooLong = parameterValueSizeIssue(labelOf(key), value as string[]);
        if (tooLong) ctx.addIssue({ code: "custom", path: [key], message: tooLong });
      }
    } else if (typeof value === "string") {
      const tooLong = parameterValueSizeIssue(labelOf(key), value);
      if (tooLong) ctx.addIssue({ code: "custom", path: [key], message: tooLong });
    } else if (!(typeof value === "number" && Number.isFinite(value))) {
      ctx.addIssue({ code: "custom", path: [key], message: `${labelOf(key)} must be text, a number or a list of text` });
    }
  }
});

/** TagOption choices as sent: key -> value, within AWS's TagOption sizes. */
const tagOptionMapEnvelope = z.record(z.string(), z.unknown(), { error: "tagOptions must be an object of tag option keys and chosen values" }).superRefine((chosen, ctx) => {
  const keys = Object.keys(chosen);
  if (keys.length > MAX_TAGS_PER_RESOURCE) {
    ctx.addIssue({ code: "custom", message: `Too many tag options: at most ${MAX_TAGS_PER_RESOURCE} (this request has ${keys.length})` });
    return;
  }
  for (const key of keys) {
    const value = chosen[key];
    if (Array.from(key).length > TAG_KEY_MAX_LENGTH) ctx.addIssue({ code: "custom", path: [key.slice(0, 40)], message: `Tag option key ${quoteForMessage(key)} is longer than ${TAG_KEY_MAX_LENGTH} characters` });
    else if (typeof value !== "string") ctx.addIssue({ code: "custom", path: [key], message: `Tag option "${key}" must be text` });
    else if (Array.from(value).length > TAG_VALUE_MAX_LENGTH) ctx.addIssue({ code: "custom", path: [key], message: `Tag option "${key}" is longer than ${TAG_VALUE_MAX_LENGTH} characters` });
  }
}) as unknown as z.ZodType<Record<string, string>, Record<string, string>>;

/**
 * What must hold before the server asks AWS anything about a launch or update body: its JSON
 * shape, the ids, and sizes (parameter values, number of tags and tag options). The rules about
 * each value (the name, each tag, each parameter) are the full schema's, so that all of a
 * request's problems are reported at once, as the form shows them.
 */
export function provisionRequestEnvelope(reservedKeys: readonly string[]) {
  return z.strictObject(
    {
      name: nameText,
      productId: serviceCatalogIdSchema("product"),
      provisioningArtifactId: serviceCatalogIdSchema("version"),
      pathId: optionalLaunchPath,
      parameters: parameterMapEnvelope(),
      tags: tagListEnvelope(reservedKeys).optional(),
      tagOptions: tagOptionMapEnvelope.optional(),
    },
    { error: bodyShapeError },
  );
}

const nameText = z.string({ error: "Name is required" });

/** The body of a termination: the product's name typed again, as the confirmation asks. */
export const terminateRequestSchema = z.strictObject(
  {
    confirmName: z
      .string({ error: "Type the product's name to confirm termination" })
      .max(PROVISIONED_PRODUCT_NAME_MAX_LENGTH, "That is longer than any product name: type the product's name exactly"),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "The request must be a JSON object with confirmName" : undefined) },
);
