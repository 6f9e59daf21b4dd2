import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { requirePermission } from "@/lib/auth/session";
import { adminOverview } from "@/lib/services/admin";
import { DateTime } from "@/components/ui/date-time";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePermission("admin:view");
  const overview = await adminOverview();
  const cards = [
    { label: "People who have signed in", value: overview.users, href: "/admin/users" },
    { label: "Live products", value: overview.liveProducts, href: "/admin/products" },
    { label: "Products that failed or need attention", value: overview.needingAttention, href: "/admin/products?status=ERROR" },
    { label: "Transfers waiting for an admin", value: overview.incompleteTransfers, href: "/admin/products?transfer=incomplete" },
  ];
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Admin</h1>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {cards.map((card) => (
          <li key={card.label} className="rounded-xl border border-slate-200 bg-white p-5">
            <IntentLink href={card.href} className="block">
              <span className="block text-3xl font-bold text-slate-900">{card.value.toLocaleString("en")}</span>
              <span className="mt-1 block text-sm text-brand-700 underline-offset-2 hover:underline">{card.label}</span>
            </IntentLink>
          </li>
        ))}
      </ul>
      <section aria-labelledby="audit-title" className="mt-10">
        <h2 id="audit-title" className="text-lg font-semibold">
          Recent activity
        </h2>
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {overview.recent.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-x-4 px-3 py-2">
              <span className="text-slate-500">
                <DateTime value={e.at} />
              </span>
              <span className="font-medium">{e.actorEmail ?? "system"}</span>
              <span>{e.action}</span>
              <span className={e.outcome === "SUCCESS" ? "text-emerald-700" : "text-red-700"}>{e.outcome.toLowerCase()}</span>
              {e.targetId ? <span className="text-slate-500">{e.targetType}:{e.targetId}</span> : null}
            </li>
          ))}
        </ul>
        <p className="mt-2 text-sm">
          <IntentLink href="/admin/audit" className="underline">
            The full audit log
          </IntentLink>
        </p>
      </section>
    </>
  );
}
