"use client";

import { inputClasses } from "@/components/ui/form-field";
import type { Tag } from "@/lib/domain/tags";

export type TagErrors = Record<number, { key?: string; value?: string }>;

/** Custom tags. Reserved keys are listed so people know why they cannot use them. */
export function TagsEditor({
  tags,
  onChange,
  reservedKeys,
  errors,
  listError,
}: {
  tags: Tag[];
  onChange: (tags: Tag[]) => void;
  reservedKeys: readonly string[];
  errors: TagErrors;
  listError?: string | undefined;
}) {
  return (
    <fieldset className="space-y-3">
      <legend className="text-base font-semibold text-slate-900">Tags</legend>
      <p className="text-sm text-slate-600">
        Optional labels for your own use. <strong>{reservedKeys.join(", ")}</strong> are set by the portal from your identity and cannot be changed.
      </p>
      {tags.map((tag, index) => {
        const keyId = `tag-${index}-key`;
        const valueId = `tag-${index}-value`;
        const error = errors[index] ?? {};
        return (
          <div key={index} className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
            <div>
              <label htmlFor={keyId} className="block text-xs font-medium text-slate-700">
                Tag {index + 1} key
              </label>
              <input
                id={keyId}
                value={tag.key}
                aria-invalid={error.key ? true : undefined}
                aria-describedby={error.key ? `${keyId}-error` : undefined}
                onChange={(e) => onChange(tags.map((t, i) => (i === index ? { ...t, key: e.target.value } : t)))}
                className={inputClasses(Boolean(error.key))}
              />
              {error.key ? (
                <p id={`${keyId}-error`} className="mt-1 text-sm font-medium text-red-700">
                  {error.key}
                </p>
              ) : null}
            </div>
            <div>
              <label htmlFor={valueId} className="block text-xs font-medium text-slate-700">
                Tag {index + 1} value
              </label>
              <input
                id={valueId}
                value={tag.value}
                aria-invalid={error.value ? true : undefined}
                aria-describedby={error.value ? `${valueId}-error` : undefined}
                onChange={(e) => onChange(tags.map((t, i) => (i === index ? { ...t, value: e.target.value } : t)))}
                className={inputClasses(Boolean(error.value))}
              />
              {error.value ? (
                <p id={`${valueId}-error`} className="mt-1 text-sm font-medium text-red-700">
                  {error.value}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={() => onChange(tags.filter((_, i) => i !== index))}
              className="mt-5 rounded-md border border-slate-300 px-3 py-2 text-xs"
              aria-label={`Remove tag ${index + 1}`}
            >
              Remove
            </button>
          </div>
        );
      })}
      {listError ? <p className="text-sm font-medium text-red-700">{listError}</p> : null}
      <button type="button" onClick={() => onChange([...tags, { key: "", value: "" }])} className="rounded-md border border-dashed border-slate-400 px-3 py-1.5 text-sm text-slate-700">
        Add tag
      </button>
    </fieldset>
  );
}
