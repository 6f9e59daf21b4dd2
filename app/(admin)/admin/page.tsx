import type { Metadata } from "next";
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/auth/session";
import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePermission("admin:view");
  const [users, events, products] = await Promise.all([
    db.user.findMany({ orderBy: { email: "asc" }, take: 200 }),
    db.auditEvent.findMany({ orderBy: { createdAt: "desc" }, take: 50 }),
    db.provisionedProduct.findMany({ where: { status: { not: "TERMINATED" } }, include: { owner: { select: { email: true } } }, orderBy: { createdAt: "desc" }, take: 200 }),
  ]);
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Admin</h1>
      <section aria-labelledby="users-title" className="mt-8">
        <h2 id="users-title" className="text-lg font-semibold">
          Users
        </h2>
        <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Email</th>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Department</th>
                <th scope="col" className="px-3 py-2">Project</th>
                <th scope="col" className="px-3 py-2">Role</th>
                <th scope="col" className="px-3 py-2">Last login</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className="border-t border-slate-100">
                  <td className="px-3 py-2">{u.email}</td>
                  <td className="px-3 py-2">{u.name}</td>
                  <td className="px-3 py-2">{u.department}</td>
                  <td className="px-3 py-2">{u.project}</td>
                  <td className="px-3 py-2">{u.role === "ADMIN" ? "Administrator" : "Researcher"}</td>
                  <td className="px-3 py-2">{u.lastLoginAt?.toISOString().replace("T", " ").slice(0, 16) ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="products-title" className="mt-10">
        <h2 id="products-title" className="text-lg font-semibold">
          All provisioned products
        </h2>
        {products.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">Nobody has launched anything yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">Name</th>
                  <th scope="col" className="px-3 py-2">Owner</th>
                  <th scope="col" className="px-3 py-2">Product</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                </tr>
              </thead>
              <tbody>
                {products.map((p) => (
                  <tr key={p.id} className="border-t border-slate-100">
                    <td className="px-3 py-2">
                      <Link href={`/products/${p.id}`} className="text-brand-700 underline">
                        {p.name}
                      </Link>
                    </td>
                    <td className="px-3 py-2">{p.owner.email}</td>
                    <td className="px-3 py-2">
                      {p.productName} {p.provisioningArtifactName}
                    </td>
                    <td className="px-3 py-2">
                      <StatusBadge status={p.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="audit-title" className="mt-10">
        <h2 id="audit-title" className="text-lg font-semibold">
          Recent activity
        </h2>
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {events.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-x-4 px-3 py-2">
              <time dateTime={e.createdAt.toISOString()} className="text-slate-500">
                {e.createdAt.toISOString().replace("T", " ").slice(0, 19)}
              </time>
              <span className="font-medium">{e.actorEmail ?? "system"}</span>
              <span>{e.action}</span>
              <span className={e.outcome === "SUCCESS" ? "text-emerald-700" : "text-red-700"}>{e.outcome.toLowerCase()}</span>
              {e.targetId ? <span className="text-slate-500">{e.targetType}:{e.targetId}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
