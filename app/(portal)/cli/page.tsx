import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { credentialProcessCommand, MAX_ACTIVE_TOKENS } from "@/lib/domain/access-tokens";
import { listAccessTokens } from "@/lib/services/access-tokens";
import { CreateTokenForm } from "@/components/cli/create-token-form";
import { TokenTable } from "@/components/cli/token-table";
import { CopyButton } from "@/components/ui/copy-button";
import { QueryProvider } from "@/components/ui/query-provider";

export const metadata: Metadata = { title: "CLI access" };

const TOKEN_FILE = "~/.aws/quartermaster-token";

export default async function CliAccessPage() {
  const user = await requirePermission("token:manage");
  const tokens = await listAccessTokens({ user });
  const settings = env();
  const profile = `[profile quartermaster]\nregion = ${settings.AWS_REGION}\ncredential_process = ${credentialProcessCommand(settings.APP_URL, TOKEN_FILE)}`;
  const storeToken = `(umask 077 && mkdir -p ~/.aws && read -rs -p "Token: " t && printf '%s' "$t" > ${TOKEN_FILE}) && chmod 600 ${TOKEN_FILE}`;
  return (
    <QueryProvider>
      <h1 className="text-2xl font-bold text-slate-900">CLI access</h1>
      <p className="mt-1 max-w-3xl text-sm text-slate-600">
        A personal access token lets the AWS CLI get your own AWS session from the portal, as {user.email}: the same permissions and tags as your products here. Anyone holding it can act as you in AWS
        until it expires or you revoke it. At most {MAX_ACTIVE_TOKENS} active tokens.
      </p>

      <section aria-labelledby="create-title" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="create-title" className="text-base font-semibold">
          Create a token
        </h2>
        <div className="mt-3">
          <CreateTokenForm />
        </div>
      </section>

      <section aria-labelledby="tokens-title" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="tokens-title" className="text-base font-semibold">
          Your tokens
        </h2>
        <TokenTable tokens={tokens} tokensUrl="/api/tokens" caption="Your personal access tokens" />
      </section>

      <section aria-labelledby="setup-title" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="setup-title" className="text-base font-semibold">
          Set up the AWS CLI
        </h2>
        <h3 className="mt-4 text-sm font-medium">1. Store the token in a file only you can read</h3>
        <p className="mt-1 text-sm text-slate-600">Paste the token when asked (it is not echoed, nor kept in your shell history).</p>
        <div className="mt-1 flex items-start gap-2">
          <code className="block flex-1 break-all rounded bg-slate-900 p-2 text-xs text-slate-100">{storeToken}</code>
          <CopyButton value={storeToken} label="command to store the token" />
        </div>
        <h3 className="mt-4 text-sm font-medium">2. Add this profile to ~/.aws/config</h3>
        <p className="mt-1 text-sm text-slate-600">The CLI runs the command whenever it needs fresh credentials; a wrong, expired or revoked token makes it fail with the portal&apos;s explanation.</p>
        <div className="mt-1 flex items-start gap-2">
          <pre className="block flex-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-xs text-slate-100">{profile}</pre>
          <CopyButton value={profile} label="AWS CLI profile" />
        </div>
        <h3 className="mt-4 text-sm font-medium">3. Use it</h3>
        <code className="mt-1 block break-all rounded bg-slate-900 p-2 text-xs text-slate-100">aws sts get-caller-identity --profile quartermaster</code>
        <code className="mt-1 block break-all rounded bg-slate-900 p-2 text-xs text-slate-100">aws servicecatalog search-provisioned-products --access-level-filter Key=User,Value=Self --profile quartermaster</code>
      </section>
    </QueryProvider>
  );
}
