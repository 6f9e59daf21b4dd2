/**
 * The launch form generated from Service Catalog's DescribeProvisioningParameters, and the one
 * zod schema that checks its values in the browser and again on the server.
 *
 * Forms deal in strings: every parameter value is a string, except list parameters
 * (CommaDelimitedList and List<...>) which are string[] in the form and joined with "," for AWS.
 *
 * Decisions:
 * - "Can this field be left empty?" (`allowsEmpty`) follows what CloudFormation itself would
 *   accept for "": not for Number or AWS-specific types, not with MinLength > 0, not when
 *   AllowedValues leaves "" out, not when AllowedPattern does not match "". `required` (the
 *   asterisk) is `allowsEmpty === false` and no Default: with a Default the form is pre-filled.
 * - AllowedPattern is a full match in CloudFormation, so patterns are anchored here. Patterns are
 *   Java regular expressions; one JavaScript cannot compile is not checked here (AWS still
 *   checks it, and its error is mapped for the user) rather than blocking the form.
 * - For lists, AllowedValues and AllowedPattern apply to each item (as in CloudFormation); items
 *   are trimmed, and an empty item, an item with a comma or a repeated item is refused.
 * - Numbers are plain decimals ("12", "-1.5"); "1e3", "0x10" and "Infinity" are refused, since
 *   JavaScript's Number() would accept what CloudFormation may read differently.
 * - NoEcho values are replaced by "****" (not removed) before storing or logging, so the detail
 *   page can still show that the parameter was set, as CloudFormation does.
 * - In an update, a NoEcho field left blank keeps the current secret (UsePreviousValue): the
 *   portal never stored it, so it cannot pre-fill it.
 * - A NoEcho Default arrives masked ("****"), so it is never a starting value. At launch a blank
 *   NoEcho field with a Default is left out of the request: AWS then uses the Default, which the
 *   portal cannot see.
 */

export type ParameterConstraints = {
  allowedValues?: string[];
  allowedPattern?: string;
  constraintDescription?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
};

/** One entry of DescribeProvisioningParameters' ProvisioningArtifactParameters, normalised. */
export type ProvisioningParameter = {
  key: string;
  /** "String", "Number", "CommaDelimitedList", "List<Number>", "AWS::EC2::KeyPair::KeyName", ... */
  type: string;
  defaultValue?: string;
  noEcho: boolean;
  description?: string;
  constraints: ParameterConstraints;
};

/** From the template's AWS::CloudFormation::Interface metadata, when it can be read. */
export type TemplateMetadata = {
  labels: Record<string, string>;
  groups: { label: string; parameters: string[] }[];
};

export type ParameterValue = string | string[];
export type ParameterValues = Record<string, ParameterValue>;

export type FieldKind = "select" | "number" | "text" | "password" | "list";

export type FieldDescriptor = {
  key: string;
  label: string;
  kind: FieldKind;
  /** The CloudFormation parameter type, for anything the kind does not say. */
  type: string;
  /** Must be filled in by the user: cannot be empty and has no default. */
  required: boolean;
  /** Whether "" (or an empty list) is an acceptable value. */
  allowsEmpty: boolean;
  noEcho: boolean;
  /** The value the form starts with: the Default, split into items for lists. */
  defaultValue: ParameterValue;
  /** AllowedValues: the choices of a select, or of each item of a list. */
  options?: string[];
  /** MinValue/MaxValue of a Number (or of each item of a List<Number>). */
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  /** AllowedPattern as written in the template; it must match the whole value. */
  pattern?: string;
  /** For lists: whether each item is a number (List<Number>). */
  itemKind?: "number" | "text";
  help?: string;
  constraintHelp?: string;
  /** A list of ARNs (key ends in "ARNs"/"Arns", or the description mentions ARNs). */
  isArnList: boolean;
  /** How the ARNs of an ARN list are checked: principals to grant access to, or any ARN. */
  arnKind?: "principal" | "any";
};

export const NO_ECHO_MASK = "****";
/** CloudFormation's limit on one parameter value (a list counts as its comma-joined text). */
export const MAX_PARAMETER_VALUE_BYTES = 4096;
/** CloudFormation's limit on the parameters of one template. */
export const MAX_PARAMETERS = 200;
/** CloudFormation parameter names: letters and digits, at most 255. */
export const PARAMETER_KEY_PATTERN = /^[A-Za-z0-9]{1,255}$/;

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * A value over CloudFormation's size limit, named by `label`; null when it fits. Checked before
 * any other rule so that nothing else has to look at an oversize value.
 */
export function parameterValueSizeIssue(label: string, value: ParameterValue): string | null {
  const text = Array.isArray(value) ? value.join(",") : value;
  const bytes = utf8Length(text);
  if (bytes <= MAX_PARAMETER_VALUE_BYTES) return null;
  return Array.isArray(value)
    ? `${label} is too long: AWS accepts at most ${MAX_PARAMETER_VALUE_BYTES} bytes for all items together (these ${value.length} items take ${bytes})`
    : `${label} is too long: AWS accepts at most ${MAX_PARAMETER_VALUE_BYTES} bytes (this value takes ${bytes})`;
}
export const OTHER_PARAMETERS_GROUP = "Other parameters";
/** The single group's label when the template defines no groups. */
export const PARAMETERS_GROUP = "Parameters";

export function isListType(type: string): boolean {
  return type === "CommaDelimitedList" || /^List<.+>$/.test(type);
}

/** Types whose values CloudFormation looks up in the account (key pairs, subnets, SSM names...). */
function isAwsSpecificType(type: string): boolean {
  return type.startsWith("AWS::") || type.startsWith("List<AWS::");
}

/**
 * "EC2InstanceType" -> "EC2 Instance Type", "S3UserARNs" -> "S3 User ARNs",
 * "db_instance-class" -> "Db Instance Class". Acronyms (with digits, and a plural "s") stay whole.
 */
export function humanizeKey(key: string): string {
  const words = key
    .split(/[_\-\s.]+/)
    .flatMap((part) => part.match(/[A-Z][A-Z0-9]*[A-Z0-9]s(?![a-z])|[A-Z][A-Z0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+/g) ?? []);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ") || key;
}

export type CompiledPattern = { source: string; regex: RegExp | null };

/** CloudFormation matches the whole value; a pattern JavaScript cannot compile gives null. */
export function compileAllowedPattern(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, pattern.includes("\\p{") ? "u" : "");
  } catch {
    return null;
  }
}

export function isPlainNumber(s: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s);
}

function emptyIsAcceptable(param: ProvisioningParameter, pattern: RegExp | null): boolean {
  const { type, constraints: c } = param;
  if (type === "Number" || type === "List<Number>" || isAwsSpecificType(type)) return false;
  if (c.allowedValues && c.allowedValues.length > 0 && !c.allowedValues.includes("")) return false;
  if (isListType(type)) return true;
  if ((c.minLength ?? 0) > 0) return false;
  if (pattern && !pattern.test("")) return false;
  return true;
}

function splitList(s: string): string[] {
  return s
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function mentionsArns(param: ProvisioningParameter): boolean {
  return /(ARNs|Arns|ARNS)$/.test(param.key) || /\bARNs?\b/i.test(param.description ?? "");
}

/** ARNs meant to be granted access are checked as principals; other ARN lists as any ARN. */
function arnKindOf(param: ProvisioningParameter): "principal" | "any" {
  return /user|role|principal|grant|access|shar/i.test(`${param.key} ${param.description ?? ""}`) ? "principal" : "any";
}

function labelOf(param: ProvisioningParameter, metadata?: TemplateMetadata): string {
  const fromTemplate = metadata?.labels[param.key]?.trim();
  return fromTemplate ? fromTemplate : humanizeKey(param.key);
}

/** The Default a form may show: none for NoEcho parameters (AWS sends their Default masked). */
function visibleDefault(param: ProvisioningParameter): string {
  return param.noEcho ? "" : (param.defaultValue ?? "");
}

/** A NoEcho value left blank where a Default exists: "use the Default", not "send nothing". */
export function isBlankSecretWithDefault(param: ProvisioningParameter, value: ParameterValue | undefined): boolean {
  return param.noEcho && param.defaultValue !== undefined && (value === undefined || value === "" || (Array.isArray(value) && value.length === 0));
}

/** The UI field for one parameter. */
export function describeField(param: ProvisioningParameter, metadata?: TemplateMetadata): FieldDescriptor {
  const c = param.constraints;
  const list = isListType(param.type);
  const hasOptions = (c.allowedValues?.length ?? 0) > 0;
  const kind: FieldKind = list
    ? "list"
    : param.noEcho
      ? "password"
      : hasOptions
        ? "select"
        : param.type === "Number"
          ? "number"
          : "text";
  const allowsEmpty = emptyIsAcceptable(param, c.allowedPattern ? compileAllowedPattern(c.allowedPattern) : null);
  const isArnList = list && mentionsArns(param);
  const field: FieldDescriptor = {
    key: param.key,
    label: labelOf(param, metadata),
    kind,
    type: param.type,
    required: !allowsEmpty && param.defaultValue === undefined,
    allowsEmpty,
    noEcho: param.noEcho,
    defaultValue: list ? splitList(visibleDefault(param)) : visibleDefault(param),
    isArnList,
  };
  if (hasOptions) field.options = [...(c.allowedValues ?? [])];
  if (c.minValue !== undefined) field.min = c.minValue;
  if (c.maxValue !== undefined) field.max = c.maxValue;
  if (c.minLength !== undefined) field.minLength = c.minLength;
  if (c.maxLength !== undefined) field.maxLength = c.maxLength;
  if (c.allowedPattern) field.pattern = c.allowedPattern;
  if (list) field.itemKind = param.type === "List<Number>" ? "number" : "text";
  if (param.description) field.help = param.description;
  if (c.constraintDescription) field.constraintHelp = c.constraintDescription;
  if (isArnList) field.arnKind = arnKindOf(param);
  return field;
}

export type FieldGroup = { label: string; fields: FieldDescriptor[] };

/**
 * Fields in the template's groups, in the template's order, then the rest under "Other
 * parameters" in DescribeProvisioningParameters' order. Without template groups, one group
 * "Parameters". A parameter listed in two groups appears in the first; empty groups are left out.
 */
export function groupFields(fields: readonly FieldDescriptor[], metadata?: TemplateMetadata): FieldGroup[] {
  const byKey = new Map(fields.map((f) => [f.key, f] as const));
  const placed = new Set<string>();
  const groups: FieldGroup[] = [];
  for (const group of metadata?.groups ?? []) {
    const inGroup: FieldDescriptor[] = [];
    for (const key of group.parameters) {
      const field = byKey.get(key);
      if (field && !placed.has(key)) {
        placed.add(key);
        inGroup.push(field);
      }
    }
    if (inGroup.length > 0) groups.push({ label: group.label, fields: inGroup });
  }
  const rest = fields.filter((f) => !placed.has(f.key));
  if (rest.length > 0) groups.push({ label: groups.length > 0 ? OTHER_PARAMETERS_GROUP : PARAMETERS_GROUP, fields: rest });
  return groups;
}

/** The form's starting values: current values where given (NoEcho ones blank), else defaults. */
export function initialParameterValues(params: readonly ProvisioningParameter[], current?: ParameterValues): ParameterValues {
  const values: ParameterValues = {};
  for (const param of params) {
    const list = isListType(param.type);
    const existing = current?.[param.key];
    if (existing !== undefined) {
      if (param.noEcho) values[param.key] = list ? [] : "";
      else values[param.key] = list ? (Array.isArray(existing) ? [...existing] : splitList(existing)) : Array.isArray(existing) ? existing.join(",") : existing;
    } else {
      values[param.key] = list ? splitList(visibleDefault(param)) : visibleDefault(param);
    }
  }
  return values;
}

export type BuildParameterSchemaOptions = {
  metadata?: TemplateMetadata;
  /** "update": a blank NoEcho field keeps the current secret instead of being checked. */
  mode?: "launch" | "update";
  /** Parameters the portal fills from the owner's identity (see ownership.ts): refused when sent. */
  ownerBoundKeys?: readonly string[];
};

export type Issue = { path: (string | number)[]; message: string };

function serialise(value: ParameterValue): string {
  return Array.isArray(value) ? value.map((item) => item.trim()).join(",") : value;
}

/** The parameters for ProvisionProduct, in the product's order; unset keys left out. */
export function toProvisioningParameters(values: ParameterValues, params: readonly ProvisioningParameter[]): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const param of params) {
    const value = values[param.key];
    if (value !== undefined && !isBlankSecretWithDefault(param, value)) out.push({ key: param.key, value: serialise(value) });
  }
  return out;
}

export type ParameterChange = {
  key: string;
  label: string;
  /** null when the parameter is new in this version. NoEcho values are "****". */
  before: string | null;
  after: string;
};

function isBlank(value: ParameterValue | undefined): boolean {
  return value === undefined || value === NO_ECHO_MASK || (Array.isArray(value) ? value.length === 0 : value === "");
}

type ParameterVerdict =
  | { key: string; outcome: "keep" }
  | { key: string; outcome: "default" }
  | { key: string; outcome: "change"; value: string; before: string | null; masked: boolean };

/**
 * The one comparison behind the three update helpers. `current` is what the portal stored (NoEcho
 * values masked), `next` the form's values, `params` the parameters of the version being updated
 * to. A NoEcho value left blank (or the mask echoed back) keeps the current secret; a parameter
 * new in this version without a value is left to its Default.
 */
function compareParameters(current: ParameterValues, next: ParameterValues, params: readonly ProvisioningParameter[]): ParameterVerdict[] {
  return params.map((param): ParameterVerdict => {
    const key = param.key;
    const before = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    const after = next[key];
    if (param.noEcho) {
      if (isBlank(after)) return { key, outcome: before !== undefined ? "keep" : "default" };
      return { key, outcome: "change", value: serialise(after as ParameterValue), before: before !== undefined ? NO_ECHO_MASK : null, masked: true };
    }
    if (after === undefined) return { key, outcome: before !== undefined ? "keep" : "default" };
    const value = serialise(after);
    if (before !== undefined && serialise(before) === value) return { key, outcome: "keep" };
    return { key, outcome: "change", value, before: before !== undefined ? serialise(before) : null, masked: false };
  });
}

/** Keys whose value an update changes (the rest are sent with UsePreviousValue). */
export function diffParameters(current: ParameterValues, next: ParameterValues, params: readonly ProvisioningParameter[]): string[] {
  return compareParameters(current, next, params)
    .filter((v) => v.outcome === "change")
    .map((v) => v.key);
}

/** The changes for the "what changes" list, NoEcho values shown as "****". */
export function parameterChanges(
  current: ParameterValues,
  next: ParameterValues,
  params: readonly ProvisioningParameter[],
  metadata?: TemplateMetadata,
): ParameterChange[] {
  const labels = new Map(params.map((p) => [p.key, labelOf(p, metadata)] as const));
  return compareParameters(current, next, params).flatMap((v) =>
    v.outcome === "change"
      ? [{ key: v.key, label: labels.get(v.key) ?? v.key, before: v.before, after: v.masked ? NO_ECHO_MASK : v.value }]
      : [],
  );
}

/** A parameter of an update: a new value, or the one it has (AWS's UsePreviousValue). */
export type ParameterSetting = { key: string; value: string } | { key: string; usePrevious: true };

/**
 * The parameters for UpdateProvisionedProduct (and for a plan): changed values as values, the
 * rest kept as they are (UsePreviousValue), new parameters without a value left out.
 */
export function toUpdateParameters(
  current: ParameterValues,
  next: ParameterValues,
  params: readonly ProvisioningParameter[],
): ParameterSetting[] {
  return compareParameters(current, next, params).flatMap((v): ParameterSetting[] =>
    v.outcome === "change" ? [{ key: v.key, value: v.value }] : v.outcome === "keep" ? [{ key: v.key, usePrevious: true }] : [],
  );
}

/**
 * Values safe to store and log: NoEcho values replaced by "****", keys the product does not
 * declare dropped (nothing unknown can carry a secret through). For an update, `current` is what
 * is stored now: a NoEcho field left blank keeps the secret, so it keeps its stored mark too.
 */
export function maskNoEcho(values: ParameterValues, params: readonly ProvisioningParameter[], current?: ParameterValues): ParameterValues {
  const out: ParameterValues = {};
  for (const param of params) {
    const value = values[param.key];
    if (current && param.noEcho && isBlank(value)) {
      if (current[param.key] !== undefined) out[param.key] = NO_ECHO_MASK;
      continue;
    }
    if (value === undefined || isBlankSecretWithDefault(param, value)) continue;
    out[param.key] = param.noEcho ? NO_ECHO_MASK : Array.isArray(value) ? [...value] : value;
  }
  return out;
}

/** Parses a template's `Metadata` section for AWS::CloudFormation::Interface; tolerant of junk. */
export function templateMetadataFromTemplate(templateMetadata: unknown): TemplateMetadata {
  const metadata: TemplateMetadata = { labels: {}, groups: [] };
  if (!templateMetadata || typeof templateMetadata !== "object") return metadata;
  const iface = (templateMetadata as Record<string, unknown>)["AWS::CloudFormation::Interface"];
  if (!iface || typeof iface !== "object") return metadata;
  const { ParameterLabels, ParameterGroups } = iface as Record<string, unknown>;
  if (ParameterLabels && typeof ParameterLabels === "object") {
    for (const [key, label] of Object.entries(ParameterLabels as Record<string, unknown>)) {
      const text = label && typeof label === "object" ? (label as Record<string, unknown>).default : undefined;
      if (typeof text === "string" && text.trim() !== "") metadata.labels[key] = text.trim();
    }
  }
  if (Array.isArray(ParameterGroups)) {
    for (const group of ParameterGroups as unknown[]) {
      if (!group || typeof group !== "object") continue;
      const { Label, Parameters } = group as Record<string, unknown>;
      const label = Label && typeof Label === "object" ? (Label as Record<string, unknown>).default : undefined;
      const parameters = Array.isArray(Parameters) ? Parameters.filter((p): p is string => typeof p === "string") : [];
      metadata.groups.push({ label: typeof label === "string" && label.trim() !== "" ? label.trim() : PARAMETERS_GROUP, parameters });
    }
  }
  return metadata;
}
