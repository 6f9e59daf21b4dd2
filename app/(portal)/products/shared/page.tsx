import type { Metadata } from "next";
import { IntentLink } from "@/components/ui/intent-link";
import { Pager } from "@/components/ui/pager";
import { FilterErrors } from "@/components/ui/filter-errors";
import { SharedWithMeTable } from "@/components/products/shared-with-me";
import { requireUser } from "@/lib/auth/session";
import { listSharedWithMe } from "@/lib/services/sharing";
import { firstValues } from "@/lib/domain/admin-filters";
import { sharedWithMeQuerySchema } from "@/lib/domain/shared-with-me";

export const metadata: Metadata = { title: "Shared with me" };

/** Everything others shared with this person, newest share first, a page at a time. */
export default async function SharedWithMePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const raw = firstValues(await searchParams);
  const parsed = sharedWithMeQuerySchema.safeParse(raw);
  const heading = (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <IntentLink href="/products" className="underline">
          My products
        </IntentLink>{" "}
        / Shared with me
      </nav>
      <h1 className="mt-2 text-2xl font-bold text-slate-900">Shared with me</h1>
      <p className="mt-1 text-sm text-slate-600">Buckets others shared with you, newest share first. Only their owners change who has access.</p>
    </>
  );
  if (!parsed.success) {
    return (
      <>
        {heading}
        <div className="mt-6">
          <FilterErrors issues={parsed.error.issues} clearHref="/products/shared" />
        </div>
      </>
    );
  }
  const page = await listSharedWithMe(user, parsed.data);
  return (
    <>
      {heading}
      {page.items.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">{parsed.data.cursor ? "Nothing more is shared with you." : "Nothing is shared with you."}</p>
      ) : (
        <SharedWithMeTable items={page.items} caption="Products others shared with you, newest share first" />
      )}
      <Pager basePath="/products/shared" query={raw} nextCursor={page.nextCursor} shown={page.items.length} total={page.total} noun="shared products" />
    </>
  );
}
