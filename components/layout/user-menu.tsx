"use client";

import { useState } from "react";

/**
 * Ends the portal's session the way next-auth's own client does (its CSRF token, then a POST to
 * its signout endpoint), without bundling next-auth/react into every page for this one call.
 */
async function endPortalSession(): Promise<void> {
  const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  await fetch("/api/auth/signout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ csrfToken, callbackUrl: window.location.origin, json: "true" }),
  });
}

/**
 * The signed-in person, and sign-out: the portal's session ends first, then the identity
 * provider's (RP-initiated logout), so the next person at this browser signs in afresh.
 */
export function UserMenu({ name, email, role }: { name: string; email: string; role: "USER" | "ADMIN" }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="flex items-center gap-3">
      <div className="text-right text-sm leading-tight">
        <p className="font-medium text-slate-900">{name}</p>
        <p className="text-slate-500">
          {email}
          {role === "ADMIN" ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800">Admin</span> : null}
        </p>
      </div>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const next = await fetch("/api/auth/end-session")
            .then((r) => r.json() as Promise<{ url: string }>)
            .catch(() => ({ url: "/signin?signedOut=1" }));
          await endPortalSession();
          window.location.assign(next.url);
        }}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        {busy ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
