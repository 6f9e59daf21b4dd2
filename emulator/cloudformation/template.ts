import { parse, type Tags } from "yaml";

/**
 * CloudFormation templates as the emulator reads them: YAML (with the short-form intrinsic tags
 * such as !Ref, !Sub, !GetAtt) or JSON, turned into the long JSON form CloudFormation uses.
 */
export type TemplateParameter = {
  Type: string;
  Default?: string | number | boolean;
  AllowedValues?: Array<string | number | boolean>;
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  NoEcho?: boolean | string;
  Description?: string;
  ConstraintDescription?: string;
};

export type TemplateResource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
};

export type TemplateOutput = { Value: unknown; Description?: string; Condition?: string; Export?: { Name: unknown } };

export type Template = {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, TemplateParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
};

const SHORT_FORMS = [
  "Ref",
  "Sub",
  "GetAtt",
  "Join",
  "Split",
  "Select",
  "If",
  "Equals",
  "Not",
  "And",
  "Or",
  "FindInMap",
  "ImportValue",
  "Base64",
  "GetAZs",
  "Condition",
  "Cidr",
  "Length",
  "ToJsonString",
];

function longName(name: string): string {
  return name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
}

function cfnTags(): Tags {
  const tags: Tags = [];
  for (const name of SHORT_FORMS) {
    const key = longName(name);
    tags.push({
      tag: `!${name}`,
      resolve: (value: string) => ({ [key]: name === "GetAtt" ? splitGetAtt(value) : value }),
    });
    tags.push({ tag: `!${name}`, collection: "seq", resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }) });
    tags.push({ tag: `!${name}`, collection: "map", resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }) });
  }
  return tags;
}

/** `!GetAtt Resource.Attribute.Nested` -> ["Resource", "Attribute.Nested"]. */
function splitGetAtt(value: string): string[] {
  const dot = value.indexOf(".");
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

export class TemplateFormatError extends Error {}

export function parseTemplate(text: string, source = "template"): Template {
  let value: unknown;
  try {
    value = parse(text, { customTags: cfnTags(), uniqueKeys: true });
  } catch (error) {
    throw new TemplateFormatError(`${source}: not a valid YAML or JSON template (${(error as Error).message})`);
  }
  if (!value || typeof value !== "object" || !("Resources" in value)) {
    throw new TemplateFormatError(`${source}: a template needs a Resources section`);
  }
  return value as Template;
}
