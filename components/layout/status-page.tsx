import { IntentLink } from "@/components/ui/intent-link";

/** Full-page message used by the 403, 404 and error pages. */
export function StatusPage({ code, title, children }: { code: string; title: string; children?: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-[70vh] items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold uppercase tracking-wider text-brand-600">{code}</p>
        <h1 className="mt-2 text-3xl font-bold text-slate-900">{title}</h1>
        <div className="mt-3 text-slate-600">{children}</div>
        <IntentLink href="/products" className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Back to my products
        </IntentLink>
      </div>
    </main>
  );
}
