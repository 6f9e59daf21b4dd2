/**
 * AWS's model-level ("coral") validation wording, shared by both services:
 * `1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: ...`.
 */
export class ConstraintCollector {
  readonly problems: string[] = [];

  add(value: unknown, path: string, constraint: string): void {
    const shown = Array.isArray(value) ? `[${value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ")}]` : String(value);
    this.problems.push(`Value '${shown}' at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  }

  string(value: string | undefined, path: string, rules: { min?: number; max?: number; pattern?: RegExp; patternText?: string }): void {
    if (value === undefined) return;
    if (rules.min !== undefined && value.length < rules.min) this.add(value, path, `have length greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && value.length > rules.max) this.add(value, path, `have length less than or equal to ${rules.max}`);
    if (rules.pattern && !rules.pattern.test(value)) this.add(value, path, `satisfy regular expression pattern: ${rules.patternText ?? rules.pattern.source}`);
  }

  get message(): string | undefined {
    if (this.problems.length === 0) return undefined;
    const n = this.problems.length;
    return `${n} validation error${n === 1 ? "" : "s"} detected: ${this.problems.join("; ")}`;
  }
}

/** Whole-string match for a model pattern (AWS anchors them). */
export function fullMatch(pattern: string, flags = "u"): RegExp {
  return new RegExp(`^(?:${pattern})$`, flags);
}
