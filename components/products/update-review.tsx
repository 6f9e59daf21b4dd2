import { DataTable, Row, RowHeader } from "@/components/ui/table";
import type { ParameterChange } from "@/lib/domain/parameters";
import type { UpdatePreview } from "@/lib/services/provisioning";

/** What an update changes, and AWS's plan for it with plain warnings when something is replaced. */
export function UpdateReview({ changed, versionChanged, preview }: { changed: ParameterChange[]; versionChanged: boolean; preview: UpdatePreview | null }) {
  return (
    <section aria-labelledby="review-title" className="space-y-3 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="review-title" className="text-base font-semibold text-slate-900">
        What changes
      </h2>
      {changed.length === 0 && !versionChanged ? (
        <p className="text-sm text-slate-600">Nothing yet: change a value or the version.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {versionChanged ? <li>The product version changes.</li> : null}
          {changed.map((c) => (
            <li key={c.key}>
              <span className="font-medium">{c.label}</span>: {c.before ?? "(not set)"} → <span className="font-medium">{c.after}</span>
            </li>
          ))}
        </ul>
      )}
      {preview ? (
        <div role="status" className="space-y-3">
          {preview.warnings.length ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
              <p className="font-semibold">Before you apply</p>
              <ul className="mt-1 list-disc pl-5">
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm text-emerald-800">AWS will change the resources in place; nothing is recreated.</p>
          )}
          {preview.resourceChanges.length ? (
            <DataTable framed={false} density="compact" caption="Resource changes planned by AWS" columns={["Resource", "Type", "Action", "Replaced"]}>
              {preview.resourceChanges.map((c) => (
                <Row key={c.logicalResourceId}>
                  <RowHeader>{c.logicalResourceId}</RowHeader>
                  <td>{c.resourceType}</td>
                  <td>{c.action}</td>
                  <td>{c.replacement === "True" || c.replacement === "TRUE" ? "Yes" : c.replacement === "Conditional" || c.replacement === "CONDITIONAL" ? "Maybe" : "No"}</td>
                </Row>
              ))}
            </DataTable>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
