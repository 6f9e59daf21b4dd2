import type { Template } from "./template";

/**
 * Intrinsic functions, evaluated the way CloudFormation does once parameters are known. A value
 * that is not known yet (a resource a plan would create or replace) evaluates to an `Unknown`
 * marker string, so plans can tell static changes from dynamic ones.
 */
export const NO_VALUE = Symbol("AWS::NoValue");

export class TemplateError extends Error {
  constructor(message: string) {
    super(`Template error: ${message}`);
    this.name = "TemplateError";
  }
}

export type ResourceView = { ref: string; attributes: Record<string, unknown>; type: string };

export type EvaluationContext = {
  template: Template;
  parameters: Record<string, string>;
  pseudo: { AccountId: string; Region: string; StackName: string; StackId: string; Partition: string; URLSuffix: string };
  /** Logical id -> what Ref/GetAtt return. Missing entries are unknown (plans) or not created yet. */
  resources: Record<string, ResourceView>;
  exports: Record<string, string>;
  /** When true, references to resources without a view evaluate to unknown markers instead of failing. */
  allowUnknown?: boolean;
  conditions?: Record<string, boolean>;
};

const UNKNOWN_PREFIX = "\u0000unknown:";

export function unknownMarker(logicalId: string): string {
  return `${UNKNOWN_PREFIX}${logicalId}\u0000`;
}

/** The logical ids whose unknown values a (nested) evaluated value contains. */
export function unknownSources(value: unknown): string[] {
  const text = JSON.stringify(value) ?? "";
  const found = new Set<string>();
  const pattern = /\\u0000unknown:([A-Za-z0-9]+)\\u0000/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) found.add(match[1]!);
  return [...found];
}

function parameterValue(context: EvaluationContext, name: string): string | string[] {
  const definition = context.template.Parameters?.[name];
  const value = context.parameters[name] ?? "";
  if (definition && (definition.Type === "CommaDelimitedList" || definition.Type.startsWith("List<"))) {
    return value === "" ? [""] : value.split(",").map((v) => v.trim());
  }
  return value;
}

function ref(context: EvaluationContext, name: string): unknown {
  switch (name) {
    case "AWS::AccountId":
      return context.pseudo.AccountId;
    case "AWS::Region":
      return context.pseudo.Region;
    case "AWS::StackName":
      return context.pseudo.StackName;
    case "AWS::StackId":
      return context.pseudo.StackId;
    case "AWS::Partition":
      return context.pseudo.Partition;
    case "AWS::URLSuffix":
      return context.pseudo.URLSuffix;
    case "AWS::NoValue":
      return NO_VALUE;
    case "AWS::NotificationARNs":
      return [];
  }
  if (context.template.Parameters && name in context.template.Parameters) return parameterValue(context, name);
  if (name in context.template.Resources) {
    const view = context.resources[name];
    if (view) return view.ref;
    if (context.allowUnknown) return unknownMarker(name);
    throw new TemplateError(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
  }
  throw new TemplateError(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
}

function getAtt(context: EvaluationContext, logicalId: string, attribute: string): unknown {
  if (!(logicalId in context.template.Resources)) {
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
  }
  const view = context.resources[logicalId];
  if (!view) {
    if (context.allowUnknown) return unknownMarker(logicalId);
    throw new TemplateError(`resource ${logicalId} is not created yet`);
  }
  if (!(attribute in view.attributes)) {
    throw new TemplateError(`resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
  }
  return view.attributes[attribute];
}

export function evaluateCondition(context: EvaluationContext, name: string): boolean {
  context.conditions ??= {};
  if (name in context.conditions) return context.conditions[name]!;
  const definition = context.template.Conditions?.[name];
  if (definition === undefined) throw new TemplateError(`Unresolved condition dependency ${name} in Fn::If`);
  const result = toBoolean(evaluate(context, definition));
  context.conditions[name] = result;
  return result;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new TemplateError(`a condition must evaluate to true or false, not ${JSON.stringify(value)}`);
}

function asString(value: unknown, fn: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new TemplateError(`${fn} expects a string, not ${JSON.stringify(value)}`);
}

function asList(value: unknown, fn: string): unknown[] {
  if (!Array.isArray(value)) throw new TemplateError(`${fn} expects a list, not ${JSON.stringify(value)}`);
  return value;
}

function sub(context: EvaluationContext, template: string, variables: Record<string, unknown>): string {
  return template.replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
    if (expression.startsWith("!")) return `\${${expression.slice(1)}}`;
    const name = expression.trim();
    if (name in variables) return asString(variables[name], "Fn::Sub");
    const dot = name.indexOf(".");
    if (dot > 0 && !name.startsWith("AWS::")) return asString(getAtt(context, name.slice(0, dot), name.slice(dot + 1)), "Fn::Sub");
    const value = ref(context, name);
    if (Array.isArray(value)) throw new TemplateError(`Fn::Sub cannot use the list parameter ${name}`);
    return asString(value, "Fn::Sub");
  });
}

/** Evaluates intrinsic functions in a template fragment; AWS::NoValue removes the member. */
export function evaluate(context: EvaluationContext, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => evaluate(context, item)).filter((item) => item !== NO_VALUE);
  if (!node || typeof node !== "object") return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 1) {
    const [fn, arg] = entries[0]!;
    switch (fn) {
      case "Ref":
        return ref(context, asString(arg, "Ref"));
      case "Condition":
        return evaluateCondition(context, asString(arg, "Condition"));
      case "Fn::GetAtt": {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
        return getAtt(context, asString(logicalId, "Fn::GetAtt"), asString(evaluate(context, attribute), "Fn::GetAtt"));
      }
      case "Fn::Sub": {
        if (typeof arg === "string") return sub(context, arg, {});
        const [text, variables] = asList(arg, "Fn::Sub");
        const evaluated: Record<string, unknown> = {};
        for (const [k, v] of Object.entries((variables ?? {}) as Record<string, unknown>)) evaluated[k] = evaluate(context, v);
        return sub(context, asString(text, "Fn::Sub"), evaluated);
      }
      case "Fn::Join": {
        const [separator, items] = asList(arg, "Fn::Join");
        return asList(evaluate(context, items), "Fn::Join")
          .map((item) => asString(item, "Fn::Join"))
          .join(asString(separator, "Fn::Join"));
      }
      case "Fn::Split": {
        const [separator, text] = asList(arg, "Fn::Split");
        return asString(evaluate(context, text), "Fn::Split").split(asString(separator, "Fn::Split"));
      }
      case "Fn::Select": {
        const [index, list] = asList(arg, "Fn::Select");
        const items = asList(evaluate(context, list), "Fn::Select");
        const i = Number(evaluate(context, index));
        if (!Number.isInteger(i) || i < 0 || i >= items.length) throw new TemplateError("Fn::Select cannot select nonexistent value at index " + String(i));
        return items[i];
      }
      case "Fn::If": {
        const [condition, whenTrue, whenFalse] = asList(arg, "Fn::If");
        return evaluate(context, evaluateCondition(context, asString(condition, "Fn::If")) ? whenTrue : whenFalse);
      }
      case "Fn::Equals": {
        const [a, b] = asList(arg, "Fn::Equals").map((item) => evaluate(context, item));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case "Fn::Not":
        return !toBoolean(evaluate(context, asList(arg, "Fn::Not")[0]));
      case "Fn::And":
        return asList(arg, "Fn::And").every((item) => toBoolean(evaluate(context, item)));
      case "Fn::Or":
        return asList(arg, "Fn::Or").some((item) => toBoolean(evaluate(context, item)));
      case "Fn::FindInMap": {
        const [map, top, second] = asList(arg, "Fn::FindInMap").map((item) => asString(evaluate(context, item), "Fn::FindInMap"));
        const value = context.template.Mappings?.[map!]?.[top!]?.[second!];
        if (value === undefined) throw new TemplateError(`Unable to get mapping for ${map}::${top}::${second}`);
        return value;
      }
      case "Fn::ImportValue": {
        const name = asString(evaluate(context, arg), "Fn::ImportValue");
        const value = context.exports[name];
        if (value === undefined) throw new TemplateError(`No export named ${name} found.`);
        return value;
      }
      case "Fn::Base64":
        return Buffer.from(asString(evaluate(context, arg), "Fn::Base64"), "utf8").toString("base64");
      case "Fn::GetAZs": {
        const region = asString(evaluate(context, arg), "Fn::GetAZs") || context.pseudo.Region;
        return ["a", "b", "c", "d", "e", "f"].map((suffix) => `${region}${suffix}`);
      }
      case "Fn::Length":
        return asList(evaluate(context, arg), "Fn::Length").length;
      case "Fn::ToJsonString":
        return JSON.stringify(evaluate(context, arg));
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const evaluated = evaluate(context, value);
    if (evaluated !== NO_VALUE) out[key] = evaluated;
  }
  return out;
}

/** Logical ids a resource definition refers to (Ref, GetAtt, Sub, DependsOn): creation order. */
export function dependenciesOf(template: Template, logicalId: string): string[] {
  const found = new Set<string>();
  const resource = template.Resources[logicalId]!;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node === "string") return;
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === "Ref" && typeof value === "string" && value in template.Resources) found.add(value);
      else if (key === "Fn::GetAtt") {
        const target = Array.isArray(value) ? value[0] : String(value).split(".")[0];
        if (typeof target === "string" && target in template.Resources) found.add(target);
      } else if (key === "Fn::Sub") {
        const text = typeof value === "string" ? value : Array.isArray(value) ? value[0] : "";
        if (typeof text === "string") {
          for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) if (match[1]! in template.Resources) found.add(match[1]!);
        }
        if (Array.isArray(value)) visit(value[1]);
      } else visit(value);
    }
  };
  visit(resource.Properties);
  const dependsOn = resource.DependsOn === undefined ? [] : Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
  for (const d of dependsOn) found.add(d);
  found.delete(logicalId);
  return [...found];
}

/** Resources in an order where each comes after what it depends on. */
export function creationOrder(template: Template, logicalIds: string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") throw new TemplateError(`Circular dependency between resources: [${id}]`);
    state.set(id, "visiting");
    for (const dep of dependenciesOf(template, id)) if (logicalIds.includes(dep)) visit(dep);
    state.set(id, "done");
    order.push(id);
  };
  logicalIds.forEach(visit);
  return order;
}
