import type { SharedWithMe as SharedItem } from "@/lib/services/sharing";

const formatTime = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/** Buckets others shared with this person: read-only (only the owner changes who has access). */
export function SharedWithMe({ items }: { items: SharedItem[] }) {
  return (
    <section aria-labelledby="shared-with-me-heading" className="mt-10">
      <h2 id="shared-with-me-heading" className="text-xl font-semibold text-slate-900">
        Shared with me
      </h2>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Nothing is shared with you.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">Products others shared with you</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-700">
              <th scope="col" className="py-2 pr-4">Name</th>
              <th scope="col" className="py-2 pr-4">Owner</th>
              <th scope="col" className="py-2 pr-4">Bucket</th>
              <th scope="col" className="py-2 pr-4">Shared since</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} className="border-b border-slate-100">
                <td className="py-2 pr-4">
                  <span className="font-medium">{item.name}</span>
                  <span className="block text-xs text-slate-600">{item.productName}</span>
                </td>
                <td className="py-2 pr-4">
                  {item.owner.name ?? item.owner.email}
                  <span className="block text-xs text-slate-600">{item.owner.email}</span>
                </td>
                <td className="py-2 pr-4 break-all font-mono text-xs">{item.bucket ?? "—"}</td>
                <td className="py-2 pr-4">{formatTime(item.since)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
