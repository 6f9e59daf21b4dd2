"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SignInButton({ callbackUrl, promptLogin }: { callbackUrl: string; promptLogin: boolean }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      className="w-full"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        // After an explicit sign-out, ask the provider to show its login form again so
        // someone else can sign in on this browser.
        void signIn("oidc", { callbackUrl }, promptLogin ? { prompt: "login" } : undefined);
      }}
    >
      {busy ? "Redirecting…" : "Sign in"}
    </Button>
  );
}
