import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { listAllProducts, userProfile } from "@/lib/services/admin";
import { getOffboarding, offboardingsOf } from "@/lib/services/offboarding";
import { OffboardingPanel } from "@/components/admin/offboarding-panel";
import { UserActions } from "@/components/admin/user-actions";
import { productFilterSchema } from "@/lib/domain/admin-filters";
import { ProductsTable } from "@/components/admin/products-table";
import { DateTime } from "@/components/ui/date-time";
import { TokenTable } from "@/components/cli/token-table";
import { listAccessTokens } from "@/lib/services/access-tokens";

export const metadata: Metadata = { title: "User · Admin" };

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requirePermission("admin:view");
  const { id } = await params;
  const profile = await userProfile(id);
  if (!profile) notFound();
  const [products, offboardings] = await Promise.all([listAllProducts(productFilterSchema.parse({ owner: profile.id, limit: 50 })), offboardingsOf({ user: admin }, profile.id)]);
  const tokens = await listAccessTokens({ user: admin }, profile.id);
  const latest = offboardings[0] ? await getOffboarding({ user: admin }, offboardings[0].id) : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <IntentLink href="/admin/users" className="underline">
          Users
        </IntentLink>{" "}
        / {profile.email}
      </nav>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <h1 className="text-2xl font-bold text-slate-900">
          {profile.name ?? profile.email}
          {profile.deactivatedAt ? <span className="ml-3 rounded bg-slate-200 px-2 py-0.5 align-middle text-sm font-medium text-slate-700">Deactivated</span> : null}
        </h1>
        {profile.id !== admin.id ? <UserActions user={{ id: profile.id, email: profile.email, deactivatedAt: profile.deactivatedAt }} /> : null}
      </div>
      <dl className="mt-4 grid gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-5 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">Email</dt>
        <dd>{profile.email}</dd>
        <dt className="font-medium text-slate-600">Role</dt>
        <dd>{profile.role === "ADMIN" ? "Administrator" : "Researcher"}</dd>
        <dt className="font-medium text-slate-600">Department / project</dt>
        <dd>
          {profile.department ?? "—"} / {profile.project ?? "—"}
        </dd>
        <dt className="font-medium text-slate-600">Groups</dt>
        <dd>{profile.groups.length ? profile.groups.join(", ") : "—"}</dd>
        <dt className="font-medium text-slate-600">Status</dt>
        <dd>{profile.deactivatedAt ? <>Deactivated since <DateTime value={profile.deactivatedAt} /></> : "Active"}</dd>
        <dt className="font-medium text-slate-600">First seen / last login</dt>
        <dd>
          <DateTime value={profile.createdAt} /> / <DateTime value={profile.lastLoginAt} empty="never" />
        </dd>
      </dl>

      <section aria-labelledby="their-products" className="mt-8">
        <h2 id="their-products" className="text-lg font-semibold">
          Live products ({profile.liveProducts})
        </h2>
        <ProductsTable products={products.items} caption={`Live products of ${profile.email}`} showOwner={false} terminate />
        {products.nextCursor ? (
          <p className="mt-2 text-sm">
            <IntentLink href={`/admin/products?owner=${profile.id}`} className="underline">
              All {profile.liveProducts} products of {profile.email}
            </IntentLink>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="their-tokens" className="mt-8">
        <h2 id="their-tokens" className="text-lg font-semibold">
          CLI access tokens
        </h2>
        <p className="mt-1 text-sm text-slate-600">Personal access tokens this person uses with the AWS CLI. Deactivating them stops all of them; offboarding revokes them.</p>
        <TokenTable tokens={tokens} tokensUrl={`/api/admin/users/${profile.id}/tokens`} caption={`Personal access tokens of ${profile.email}`} />
      </section>

      <OffboardingPanel user={{ id: profile.id, email: profile.email }} liveProducts={profile.liveProducts} latest={latest} />

      <section aria-labelledby="their-activity" className="mt-8">
        <h2 id="their-activity" className="text-lg font-semibold">
          Recent activity
        </h2>
        {profile.activity.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Nothing recorded yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm">
            {profile.activity.map((e) => (
              <li key={e.id} className="flex flex-wrap gap-x-4 px-3 py-2">
                <span className="text-slate-500">
                  <DateTime value={e.at} />
                </span>
                <span className="font-medium">{e.actorEmail ?? "system"}</span>
                <span>{e.action}</span>
                <span className={e.outcome === "SUCCESS" ? "text-emerald-700" : "text-red-700"}>{e.outcome.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
