import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInButton } from "@/components/auth/sign-in-button";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

const errorMessages: Record<string, string> = {
  OAuthSignin: "We could not reach the sign-in provider. Try again in a moment.",
  OAuthCallback: "The sign-in provider's answer could not be verified. Try again.",
  Callback: "Signing you in failed. Try again; if it persists, contact your administrator.",
  AccessDenied: "Access was denied.",
  SessionRequired: "Please sign in to continue.",
};

/** Only same-site paths may be used as the post-login destination. */
function safeCallback(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/products";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const error = params.error ? (errorMessages[params.error] ?? errorMessages.Callback) : null;
  return (
    <section aria-labelledby="signin-title" className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 id="signin-title" className="text-2xl font-bold text-brand-900">
        Quartermaster
      </h1>
      <p className="mt-2 text-sm text-slate-600">Launch and manage your research cloud resources. Sign in with your organisation account.</p>
      {params.signedOut ? (
        <p role="status" className="mt-4 rounded-md bg-slate-100 p-3 text-sm text-slate-700">
          You are signed out.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="mt-6">
        <SignInButton callbackUrl={callbackUrl} promptLogin={Boolean(params.signedOut)} />
      </div>
    </section>
  );
}
