/** Label, control, help and error wired together for screen readers (aria-describedby, aria-invalid). */
export function FieldShell({
  id,
  label,
  required,
  help,
  error,
  children,
}: {
  id: string;
  label: string;
  required?: boolean;
  help?: React.ReactNode;
  error?: string | undefined;
  children: (describedBy: string | undefined, invalid: boolean) => React.ReactNode;
}) {
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, helpId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required ? <span className="ml-1 text-red-700" aria-hidden="true">*</span> : null}
        {required ? <span className="sr-only"> (required)</span> : null}
      </label>
      {children(describedBy, Boolean(error))}
      {error ? (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
      {help ? (
        <div id={helpId} className="text-xs text-slate-600">
          {help}
        </div>
      ) : null}
    </div>
  );
}

export const inputClasses = (invalid: boolean) =>
  `block w-full rounded-md border px-3 py-2 text-sm shadow-sm ${invalid ? "border-red-500 bg-red-50" : "border-slate-300 bg-white"}`;
