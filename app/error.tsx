"use client";

import { StatusPage } from "@/components/layout/status-page";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusPage code="Error" title="Something went wrong">
      <p>The page could not be shown. Nothing you did was lost.</p>
      {error.digest ? <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-md border border-slate-300 px-4 py-2 text-sm font-medium">
        Try again
      </button>
    </StatusPage>
  );
}
