import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInButton } from "@/components/auth/sign-in-button";
import { safeCallbackUrl } from "@/lib/domain/callback-url";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import type { LoginRefusal } from "@/lib/errors";

export const metadata: Metadata = { title: "Sign in" };

const refusals: Record<LoginRefusal, string> = {
  EmailNotVerified:
    "Your identity provider has not verified your email address, so Quartermaster cannot sign you in. Verify it with your organisation's account service, then sign in again.",
  AwsIdentityClash:
    "This account cannot be signed in: its AWS identity would clash with another user's. The administrator has been told; contact them if this persists.",
  Deactivated: "Your Quartermaster account has been deactivated by an administrator, so you cannot sign in. Contact them if you think this is a mistake.",
};

const errorMessages: Record<string, string> = {
  ...refusals,
  OAuthSignin: "We could not reach the sign-in provider. Try again in a moment.",
  OAuthCallback: "The sign-in provider's answer could not be verified. Try again.",
  Callback: "Signing you in failed. Try again; if it persists, contact your administrator.",
  AccessDenied: "Access was denied.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  // Only a path and query on the portal's own origin; the button hands the same value to next-auth.
  const callbackUrl = safeCallbackUrl(params.callbackUrl, env().APP_URL);
  if (await currentUser()) redirect(callbackUrl);
  const error = params.error ? (Object.hasOwn(errorMessages, params.error) ? errorMessages[params.error] : errorMessages.Callback) : null;
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
