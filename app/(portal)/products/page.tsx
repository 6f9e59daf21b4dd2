import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "My products" };

export default async function MyProductsPage() {
  const user = await requireUser();
  return (
    <>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">My products</h1>
          <p className="mt-1 text-sm text-slate-600">Resources you launched, as {user.email}.</p>
        </div>
        <Link href="/catalog" className={buttonClasses("primary")}>
          Browse the catalog
        </Link>
      </div>
      <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
        <h2 className="text-lg font-semibold text-slate-800">Nothing launched yet</h2>
        <p className="mt-2 text-sm text-slate-600">Products you launch from the catalog will appear here with their status.</p>
      </div>
    </>
  );
}
