/** zod schemas over the tag rules of tags.ts (apart, so code that only reads the rules does not bundle zod). */
import { z } from "zod";
import { countReservedTags, MAX_TAGS_PER_RESOURCE, validateUserTags, type ValidateUserTagsOptions } from "./tags";

export const tagSchema = z.strictObject({ key: z.string(), value: z.string() }, { error: (issue) => (issue.code === "invalid_type" ? "each tag must be { key, value }" : undefined) });

/**
 * The shape of a tag list, and AWS's hard limit on its length, without the rules about each tag:
 * what the server can check before it knows the product. Far past the limit it says so once
 * rather than check (and report on) every row.
 */
export function tagListEnvelope(reservedKeys: readonly string[]) {
  return z.array(tagSchema, { error: "tags must be a list of { key, value } pairs" }).superRefine((tags, ctx) => {
    if (tags.length > MAX_TAGS_PER_RESOURCE) {
      ctx.addIssue({ code: "custom", message: `Too many tags: AWS allows ${MAX_TAGS_PER_RESOURCE} per resource, including the ${countReservedTags(reservedKeys)} the portal adds (you have ${tags.length})` });
    }
  });
}

/**
 * The tags editor's schema, for react-hook-form's zod resolver and for the route handler. Issues
 * carry paths relative to the array (`2.key`), which zod prefixes with the parent field
 * (`tags.2.key`). Output rows are trimmed.
 */
export function userTagsSchema(
  reservedKeys: readonly string[],
  options: Omit<ValidateUserTagsOptions, "reservedKeys"> = {},
) {
  return tagListEnvelope(reservedKeys)
    .superRefine((tags, ctx) => {
      if (tags.length > MAX_TAGS_PER_RESOURCE) return; // said by the envelope
      for (const issue of validateUserTags(tags, { ...options, reservedKeys })) {
        ctx.addIssue({ code: "custom", message: issue.message, path: [issue.index, issue.field] });
      }
    })
    .transform((tags) => tags.map((t) => ({ key: t.key.trim(), value: t.value.trim() })));
}
