/**
 * The zod schema over a product's parameters (the rules are parameters.ts's; this only wires them
 * into zod, kept apart so pages that only describe parameters do not bundle zod).
 */
import { z } from "zod";
import { checkListItems, checkScalar } from "./parameter-checks";
import {
  compileAllowedPattern,
  describeField,
  isBlankSecretWithDefault,
  isListType,
  NO_ECHO_MASK,
  parameterValueSizeIssue,
  type BuildParameterSchemaOptions,
  type CompiledPattern,
  type Issue,
  type ParameterValue,
  type ParameterValues,
  type ProvisioningParameter,
} from "./parameters";
import { isOwnerBoundParameter } from "./ownership";

/** Lenient input: a list may arrive as "a,b" from an API client; a number as a JSON number. */
function listInput(v: unknown): unknown {
  if (typeof v === "string") return v.trim() === "" ? [] : v.split(",");
  return v;
}
function scalarInput(v: unknown): unknown {
  return typeof v === "number" && Number.isFinite(v) ? String(v) : v;
}
/** Spaces around a number are never meant; trimming them keeps "12 " from reaching AWS. */
function numberInput(v: unknown): unknown {
  const s = scalarInput(v);
  return typeof s === "string" ? s.trim() : s;
}

/**
 * One zod schema over the product's parameters, for react-hook-form's resolver and the route
 * handler. Issues are at `<key>` or `<key>.<item index>` and name the parameter's label. Unknown
 * keys are dropped; a missing key is left out of the output (AWS then uses the Default), but is
 * refused like an empty value when the parameter cannot be empty and has no Default.
 * Output: list items trimmed.
 */
export function buildParameterSchema(
  params: readonly ProvisioningParameter[],
  options: BuildParameterSchemaOptions = {},
): z.ZodType<ParameterValues, ParameterValues> {
  const fields = params.map((p) => describeField(p, options.metadata));
  const patterns = params.map((p): CompiledPattern | null =>
    p.constraints.allowedPattern ? { source: p.constraints.allowedPattern, regex: compileAllowedPattern(p.constraints.allowedPattern) } : null,
  );
  const shape: Record<string, z.ZodType> = {};
  for (const param of params) {
    shape[param.key] = isListType(param.type)
      ? z.preprocess(listInput, z.array(z.string()).optional())
      : z.preprocess(param.type === "Number" ? numberInput : scalarInput, z.string().optional());
  }

  const schema = z
    .object(shape)
    .superRefine((values: Record<string, unknown>, ctx) => {
      params.forEach((param, i) => {
        const field = fields[i];
        if (!field) return;
        const pattern = patterns[i] ?? null;
        const value = values[param.key] as ParameterValue | undefined;
        const add = (issue: Issue) => ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });

        if (isOwnerBoundParameter(param.key, options.ownerBoundKeys ?? [])) {
          if (value !== undefined) add({ path: [param.key], message: `${field.label} is set by the portal to the owner's AWS identity: leave it out` });
          return;
        }
        if (value === undefined) {
          if (field.required) add({ path: [param.key], message: `${field.label} is required` });
          return;
        }
        const tooLong = parameterValueSizeIssue(field.label, value);
        if (tooLong) return add({ path: [param.key], message: tooLong });
        if (Array.isArray(value)) {
          if (value.length === 0) {
            if (!field.allowsEmpty) add({ path: [param.key], message: `${field.label} needs at least one value` });
            return;
          }
          checkListItems(param, field, value, pattern).forEach(add);
          return;
        }
        // The form cannot show the current secret, so blank (or the mask echoed back) means "keep it".
        if (options.mode === "update" && param.noEcho && (value === "" || value === NO_ECHO_MASK)) return;
        if (isBlankSecretWithDefault(param, value)) return;
        if (value === "") {
          if (!field.allowsEmpty) add({ path: [param.key], message: `${field.label} is required` });
          return;
        }
        const message = checkScalar(param, value, field.label, pattern);
        if (message) add({ path: [param.key], message });
      });
    })
    .transform((values: Record<string, unknown>) => {
      const out: ParameterValues = {};
      for (const param of params) {
        const value = values[param.key] as ParameterValue | undefined;
        if (value === undefined || isOwnerBoundParameter(param.key, options.ownerBoundKeys ?? [])) continue;
        out[param.key] = Array.isArray(value) ? value.map((item) => item.trim()) : value;
      }
      return out;
    });
  return schema as unknown as z.ZodType<ParameterValues, ParameterValues>;
}

