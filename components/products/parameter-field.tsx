"use client";

import { FieldShell, inputClasses } from "@/components/ui/form-field";
import type { FieldDescriptor, ParameterValue } from "@/lib/domain/parameters";

export const parameterFieldId = (key: string) => `param-${key}`;

function Help({ field }: { field: FieldDescriptor }) {
  const rules: string[] = [];
  if (field.kind === "number" || field.itemKind === "number") {
    if (field.min !== undefined && field.max !== undefined) rules.push(`Between ${field.min} and ${field.max}.`);
    else if (field.min !== undefined) rules.push(`At least ${field.min}.`);
    else if (field.max !== undefined) rules.push(`At most ${field.max}.`);
  }
  if (field.isArnList) rules.push("One ARN per item, e.g. arn:aws:iam::123456789012:role/Analyst.");
  if (!field.help && !field.constraintHelp && rules.length === 0) return null;
  return (
    <>
      {field.help ? <p>{field.help}</p> : null}
      {field.constraintHelp ? <p className="italic">{field.constraintHelp}</p> : null}
      {rules.map((r) => (
        <p key={r}>{r}</p>
      ))}
    </>
  );
}

/** One generated form control for a CloudFormation parameter. */
export function ParameterField({
  field,
  value,
  error,
  itemErrors,
  onChange,
  updateMode,
}: {
  field: FieldDescriptor;
  value: ParameterValue | undefined;
  error?: string | undefined;
  itemErrors?: Record<number, string>;
  onChange: (value: ParameterValue) => void;
  updateMode?: boolean;
}) {
  const id = parameterFieldId(field.key);
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  const help = (
    <>
      <Help field={field} />
      {field.noEcho && updateMode ? <p>Leave blank to keep the current secret value.</p> : null}
    </>
  );

  if (field.kind === "list") {
    const items = Array.isArray(value) ? value : text ? text.split(",") : [];
    return (
      <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="text-sm font-medium text-slate-800">
          {field.label}
          {field.required ? <span className="ml-1 text-red-700" aria-hidden="true">*</span> : null}
        </legend>
        {items.length === 0 ? <p className="text-xs text-slate-500">No items.</p> : null}
        {items.map((item, index) => {
          const itemId = `${id}-${index}`;
          const itemError = itemErrors?.[index];
          return (
            <div key={index} className="flex items-start gap-2">
              <div className="flex-1">
                <label htmlFor={itemId} className="sr-only">
                  {field.label} item {index + 1}
                </label>
                <input
                  id={itemId}
                  type={field.itemKind === "number" ? "number" : "text"}
                  value={item}
                  placeholder={field.isArnList ? "arn:aws:iam::123456789012:role/Name" : undefined}
                  aria-invalid={itemError ? true : undefined}
                  aria-describedby={itemError ? `${itemId}-error` : undefined}
                  onChange={(e) => onChange(items.map((v, i) => (i === index ? e.target.value : v)))}
                  className={inputClasses(Boolean(itemError))}
                />
                {itemError ? (
                  <p id={`${itemId}-error`} className="mt-1 text-sm font-medium text-red-700">
                    {itemError}
                  </p>
                ) : null}
              </div>
              <button
                type="button"
                onClick={() => onChange(items.filter((_, i) => i !== index))}
                className="rounded-md border border-slate-300 px-2 py-2 text-xs"
                aria-label={`Remove ${field.label} item ${index + 1}`}
              >
                Remove
              </button>
            </div>
          );
        })}
        <button type="button" onClick={() => onChange([...items, ""])} className="rounded-md border border-dashed border-slate-400 px-3 py-1.5 text-sm text-slate-700">
          Add {field.isArnList ? "ARN" : "item"}
          <span className="sr-only"> to {field.label}</span>
        </button>
        {error ? (
          <p id={`${id}-error`} className="text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <div className="text-xs text-slate-600">{help}</div>
      </fieldset>
    );
  }

  return (
    <FieldShell id={id} label={field.label} required={field.required} help={help} error={error}>
      {(describedBy, invalid) =>
        field.kind === "select" ? (
          <select id={id} value={text} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)} className={inputClasses(invalid)}>
            {field.allowsEmpty && !(field.options ?? []).includes("") ? <option value="">(none)</option> : null}
            {(field.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o === "" ? "(none)" : o}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            type={field.kind === "number" ? "number" : field.kind === "password" ? "password" : "text"}
            inputMode={field.kind === "number" ? "numeric" : undefined}
            autoComplete={field.kind === "password" ? "new-password" : "off"}
            value={text}
            min={field.min}
            max={field.max}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => onChange(e.target.value)}
            className={inputClasses(invalid)}
          />
        )
      }
    </FieldShell>
  );
}
