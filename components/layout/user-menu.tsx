"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** The signed-in person, and sign-out. After signing out, the next sign-in asks the provider to prompt again. */
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
          await signOut({ callbackUrl: "/signin?signedOut=1" });
        }}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        {busy ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
