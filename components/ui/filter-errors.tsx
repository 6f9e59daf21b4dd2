import { IntentLink } from "@/components/ui/intent-link";

/** What is wrong with the filters in the URL, with a way back to the unfiltered list. */
export function FilterErrors({ issues, clearHref }: { issues: { path: PropertyKey[]; message: string }[]; clearHref: string }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      <h2 className="font-semibold">These filters cannot be used</h2>
      <ul className="mt-2 list-disc pl-5">
        {issues.map((issue, i) => (
          <li key={i}>
            {issue.path.length ? `${issue.path.map(String).join(".")}: ` : ""}
            {issue.message}
          </li>
        ))}
      </ul>
      <IntentLink href={clearHref} className="mt-3 inline-block underline">
        Show the list without filters
      </IntentLink>
    </div>
  );
}
