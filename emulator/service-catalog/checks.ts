import { ConstraintCollector, fullMatch } from "../core/validation";
import { ParameterValidationError, resolveParameterValues, type ParameterInput } from "../cloudformation/parameters";
import type { Tag } from "../cloudformation/resources";
import type { Template } from "../cloudformation/template";
import { InvalidParametersException } from "./errors";

/**
 * The request checks every operation shares: names, tokens, tags and parameters against the
 * service model's constraints, each failure in AWS's words (InvalidParametersException).
 */

const NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9._-]*";
const NAME = fullMatch(NAME_PATTERN);
const TOKEN = fullMatch("[a-zA-Z0-9][a-zA-Z0-9_-]*");
const TAG_TEXT = fullMatch("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
const TAG_PATTERN_TEXT = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";

/** Runs a request's shape checks and throws AWS's one message naming every member that failed. */
export function validated(fill: (checks: ConstraintCollector) => void): void {
  const checks = new ConstraintCollector();
  fill(checks);
  if (checks.message) throw new InvalidParametersException(checks.message);
}

export function validateName(name: string | undefined, field = "provisionedProductName"): string {
  validated((checks) => {
    if (name === undefined) checks.add("null", field, "not be null");
    checks.string(name, field, { min: 1, max: 128, pattern: NAME, patternText: NAME_PATTERN });
  });
  return name!;
}

export function validateToken(token: string | undefined, field: string): string {
  validated((checks) => {
    if (token === undefined) checks.add("null", field, "not be null");
    checks.string(token, field, { min: 1, max: 128, pattern: TOKEN, patternText: "[a-zA-Z0-9][a-zA-Z0-9_-]*" });
  });
  return token!;
}

/** The model's rules for a Tags member (at most 50, lengths, characters): checked on every request. */
export function checkTagShapes(tags: Tag[] | undefined): void {
  const given = tags ?? [];
  validated((checks) => {
    if (given.length > 50) checks.add(given.map((t) => `${t.Key}=${t.Value}`), "tags", "have length less than or equal to 50");
    given.forEach((tag, i) => {
      const path = `tags.${i + 1}.member`;
      if (typeof tag.Key !== "string") checks.add("null", `${path}.key`, "not be null");
      if (typeof tag.Value !== "string") checks.add("null", `${path}.value`, "not be null");
      checks.string(tag.Key, `${path}.key`, { min: 1, max: 128, pattern: TAG_TEXT, patternText: TAG_PATTERN_TEXT });
      checks.string(tag.Value, `${path}.value`, { min: 1, max: 256, pattern: TAG_TEXT, patternText: TAG_PATTERN_TEXT });
    });
  });
}

/** The user's tags: AWS's limits and character rules, no `aws:` keys, and the launch's TagOptions. */
export function validateTags(tags: Tag[] | undefined, tagOptions: Record<string, string[]>): Tag[] {
  checkTagShapes(tags);
  const given = tags ?? [];
  const seen = new Set<string>();
  for (const tag of given) {
    if (tag.Key.toLowerCase().startsWith("aws:")) throw new InvalidParametersException(`Tag key '${tag.Key}' is not valid: keys starting with 'aws:' are reserved for AWS use.`);
    if (seen.has(tag.Key)) throw new InvalidParametersException(`Tag key '${tag.Key}' is specified more than once; tag keys must be unique.`);
    seen.add(tag.Key);
  }
  const result = given.map((t) => ({ Key: t.Key, Value: t.Value }));
  for (const [key, values] of Object.entries(tagOptions)) {
    const tag = result.find((t) => t.Key === key);
    if (tag) {
      if (!values.includes(tag.Value)) {
        throw new InvalidParametersException(`Tag value '${tag.Value}' is not allowed for TagOption key '${key}'. Allowed values: ${values.join(", ")}.`);
      }
    } else if (values.length === 1) {
      result.push({ Key: key, Value: values[0]! });
    } else {
      throw new InvalidParametersException(`TagOption key '${key}' requires a value: add a tag '${key}' with one of ${values.join(", ")}.`);
    }
  }
  if (result.length > 50) throw new InvalidParametersException("Too many tags: a provisioned product can have at most 50 tags, including TagOptions.");
  return result;
}

export function resolveParameters(template: Template, given: ParameterInput[] | undefined, previous?: Record<string, string>): Record<string, string> {
  validated((checks) =>
    (given ?? []).forEach((p, i) => {
      if (typeof p.Key !== "string") checks.add("null", `provisioningParameters.${i + 1}.member.key`, "not be null");
      else checks.string(p.Key, `provisioningParameters.${i + 1}.member.key`, { min: 1, max: 1000 });
      checks.string(p.Value, `provisioningParameters.${i + 1}.member.value`, { max: 4096 });
    }),
  );
  try {
    return resolveParameterValues(template, given ?? [], previous);
  } catch (error) {
    if (error instanceof ParameterValidationError) throw new InvalidParametersException(error.message);
    throw error;
  }
}
