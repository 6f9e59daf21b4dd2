import type { Template, TemplateParameter } from "./template";

/**
 * Template parameters: their description for Service Catalog and the validation CloudFormation
 * applies to the values, with CloudFormation's wording ("Parameter 'VolumeSize' must be a number
 * not less than 30"). A ConstraintDescription replaces the default wording, as in CloudFormation.
 */
export class ParameterValidationError extends Error {
  readonly parameter: string | undefined;

  constructor(message: string, parameter?: string) {
    super(message);
    this.name = "ParameterValidationError";
    this.parameter = parameter;
  }
}

export type ParameterValues = Record<string, string>;

export type ParameterInput = { Key?: string; Value?: string; UsePreviousValue?: boolean };

function asString(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

export function isNoEcho(definition: TemplateParameter): boolean {
  return definition.NoEcho === true || String(definition.NoEcho).toLowerCase() === "true";
}

/** Service Catalog's ProvisioningArtifactParameter list for a template. */
export function describeTemplateParameters(template: Template) {
  return Object.entries(template.Parameters ?? {}).map(([key, p]) => ({
    ParameterKey: key,
    DefaultValue: p.Default === undefined ? undefined : isNoEcho(p) ? "****" : asString(p.Default),
    ParameterType: p.Type,
    IsNoEcho: isNoEcho(p),
    Description: p.Description,
    ParameterConstraints: {
      AllowedValues: p.AllowedValues?.map(asString) ?? [],
      AllowedPattern: p.AllowedPattern,
      ConstraintDescription: p.ConstraintDescription,
      MaxLength: p.MaxLength === undefined ? undefined : String(p.MaxLength),
      MinLength: p.MinLength === undefined ? undefined : String(p.MinLength),
      MaxValue: p.MaxValue === undefined ? undefined : String(p.MaxValue),
      MinValue: p.MinValue === undefined ? undefined : String(p.MinValue),
    },
  }));
}

function fail(name: string, definition: TemplateParameter, defaultWording: string): never {
  const wording = definition.ConstraintDescription ? definition.ConstraintDescription.trim() : defaultWording;
  throw new ParameterValidationError(`Parameter '${name}' ${wording}`, name);
}

function checkScalar(name: string, definition: TemplateParameter, value: string, numeric: boolean): void {
  if (definition.AllowedValues && !definition.AllowedValues.map(asString).includes(value)) {
    fail(name, definition, "must be one of AllowedValues");
  }
  if (numeric) {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) fail(name, definition, "must be a number");
    if (definition.MinValue !== undefined && n < Number(definition.MinValue)) fail(name, definition, `must be a number not less than ${definition.MinValue}`);
    if (definition.MaxValue !== undefined && n > Number(definition.MaxValue)) fail(name, definition, `must be a number not greater than ${definition.MaxValue}`);
    return;
  }
  if (definition.MinLength !== undefined && value.length < Number(definition.MinLength)) {
    fail(name, definition, `must contain at least ${definition.MinLength} characters`);
  }
  if (definition.MaxLength !== undefined && value.length > Number(definition.MaxLength)) {
    fail(name, definition, `must contain at most ${definition.MaxLength} characters`);
  }
  if (definition.AllowedPattern !== undefined && !new RegExp(`^(?:${definition.AllowedPattern})$`).test(value)) {
    fail(name, definition, `must match pattern ${definition.AllowedPattern}`);
  }
}

/** Checks one value against its definition (each element of a list type on its own). */
export function checkParameterValue(name: string, definition: TemplateParameter, value: string): void {
  const type = definition.Type;
  if (type === "Number") return checkScalar(name, definition, value, true);
  if (type === "List<Number>" || type === "CommaDelimitedList" || type.startsWith("List<")) {
    const numeric = type === "List<Number>";
    if (value === "" && !numeric) {
      if (definition.AllowedValues || definition.AllowedPattern || definition.MinLength) checkScalar(name, definition, value, false);
      return;
    }
    for (const item of value.split(",")) checkScalar(name, definition, item.trim(), numeric);
    return;
  }
  checkScalar(name, definition, value, false);
}

/**
 * The values a stack gets: given values, else the previous value (when asked for and known),
 * else the default. Unknown keys and missing required values fail as CloudFormation reports them.
 */
export function resolveParameterValues(template: Template, given: ParameterInput[], previous?: ParameterValues): ParameterValues {
  const definitions = template.Parameters ?? {};
  const unknown = given.map((p) => p.Key ?? "").filter((key) => !(key in definitions));
  if (unknown.length > 0) throw new ParameterValidationError(`Parameters: [${unknown.join(", ")}] do not exist in the template`, unknown[0]);
  const seen = new Set<string>();
  for (const p of given) {
    if (seen.has(p.Key!)) throw new ParameterValidationError(`Parameter '${p.Key}' is specified more than once`, p.Key);
    seen.add(p.Key!);
  }

  const values: ParameterValues = {};
  const missing: string[] = [];
  for (const [name, definition] of Object.entries(definitions)) {
    const input = given.find((p) => p.Key === name);
    let value: string | undefined;
    if (input?.UsePreviousValue) {
      if (previous?.[name] === undefined) {
        throw new ParameterValidationError(`Parameter '${name}' has no previous value to use (UsePreviousValue)`, name);
      }
      value = previous[name];
    } else if (input) {
      value = input.Value ?? "";
    } else if (previous?.[name] !== undefined) {
      // Service Catalog keeps the current value of a parameter the update does not mention.
      value = previous[name];
    } else if (definition.Default !== undefined) {
      value = asString(definition.Default);
    }
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    values[name] = value;
  }
  if (missing.length > 0) throw new ParameterValidationError(`Parameters: [${missing.join(", ")}] must have values`, missing[0]);
  for (const [name, value] of Object.entries(values)) checkParameterValue(name, definitions[name]!, value);
  return values;
}
