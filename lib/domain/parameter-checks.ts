/**
 * The checks of one parameter's value against its template constraints (allowed values, number
 * range, length, pattern, ARNs), in the words the form and the API show. Apart from parameters.ts
 * (what a form shows), so the launch form's first load does not carry them: the form validates
 * through the request schema, loaded once the form is on screen (parameter-schema.ts).
 */
import { checkPrincipalArn, parseArn } from "./arn";
import { isPlainNumber, type CompiledPattern, type FieldDescriptor, type Issue, type ParameterConstraints, type ProvisioningParameter } from "./parameters";

/** A message under a field: ConstraintDescription when the template gives one, else ours. */
function ruleMessage(subject: string, rule: string, constraintDescription: string | undefined): string {
  return constraintDescription ? `${subject}: ${constraintDescription}` : `${subject} ${rule}`;
}

function listOfChoices(values: readonly string[]): string {
  const shown = values.map((v) => (v === "" ? "(empty)" : v));
  return shown.length > 10 ? `${shown.slice(0, 10).join(", ")}, …` : shown.join(", ");
}

function numberRange(min: number | undefined, max: number | undefined): string | null {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  if (min !== undefined) return `must be at least ${min}`;
  if (max !== undefined) return `must be at most ${max}`;
  return null;
}

function checkNumber(value: string, subject: string, c: ParameterConstraints): string | null {
  if (!isPlainNumber(value)) return `${subject} must be a number`;
  const n = Number(value);
  const rule = numberRange(c.minValue, c.maxValue);
  if (rule && ((c.minValue !== undefined && n < c.minValue) || (c.maxValue !== undefined && n > c.maxValue))) {
    return ruleMessage(subject, rule, c.constraintDescription);
  }
  return null;
}

export function checkScalar(param: ProvisioningParameter, value: string, label: string, pattern: CompiledPattern | null): string | null {
  const c = param.constraints;
  const cd = c.constraintDescription;
  if (c.allowedValues && c.allowedValues.length > 0 && !c.allowedValues.includes(value)) {
    return ruleMessage(label, `must be one of: ${listOfChoices(c.allowedValues)}`, cd);
  }
  if (param.type === "Number") {
    const issue = checkNumber(value, label, c);
    if (issue) return issue;
  }
  const length = Array.from(value).length;
  if (c.minLength !== undefined && length < c.minLength) {
    return ruleMessage(label, `must be at least ${c.minLength} characters long`, cd);
  }
  if (c.maxLength !== undefined && length > c.maxLength) {
    return ruleMessage(label, `must be at most ${c.maxLength} characters long`, cd);
  }
  if (pattern?.regex && !pattern.regex.test(value)) {
    return ruleMessage(label, `is not in the expected format (it must match ${pattern.source})`, cd);
  }
  return null;
}

export function checkListItems(param: ProvisioningParameter, field: FieldDescriptor, items: readonly string[], pattern: CompiledPattern | null): Issue[] {
  const issues: Issue[] = [];
  const c = param.constraints;
  const cd = c.constraintDescription;
  const firstIndex = new Map<string, number>();
  items.forEach((raw, index) => {
    const item = raw.trim();
    const subject = `${field.label}, item ${index + 1}`;
    const path = [param.key, index];
    if (item === "") return issues.push({ path, message: `${subject} is empty: fill it in or remove it` });
    if (item.includes(",")) return issues.push({ path, message: `${subject} contains a comma: enter each value as its own item` });
    const first = firstIndex.get(item);
    if (first !== undefined) return issues.push({ path, message: `${subject} repeats item ${first + 1}` });
    firstIndex.set(item, index);
    let message: string | null = null;
    if (c.allowedValues && c.allowedValues.length > 0 && !c.allowedValues.includes(item)) {
      message = ruleMessage(subject, `must be one of: ${listOfChoices(c.allowedValues)}`, cd);
    } else if (field.itemKind === "number") {
      message = checkNumber(item, subject, c);
    } else if (pattern?.regex && !pattern.regex.test(item)) {
      message = ruleMessage(subject, `is not in the expected format (it must match ${pattern.source})`, cd);
    } else if (field.arnKind === "principal") {
      const checked = checkPrincipalArn(item);
      if (!checked.ok) message = `${subject}: ${checked.message}`;
    } else if (field.arnKind === "any") {
      const parsed = parseArn(item);
      if (!parsed.ok) message = `${subject}: "${item}" is not a valid ARN: ${parsed.reason}`;
    }
    if (message) issues.push({ path, message });
    return undefined;
  });
  return issues;
}
