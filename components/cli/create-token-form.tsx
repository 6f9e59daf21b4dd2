"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FieldShell, inputClasses } from "@/components/ui/form-field";
import { createAccessTokenSchema, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "@/lib/domain/access-tokens";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import type { AccessTokenView } from "@/lib/services/access-tokens";

type Created = { token: string; accessToken: AccessTokenView };

/** Create a named token; its secret is shown here once, with a copy button, and never again. */
export function CreateTokenForm() {
  const [name, setName] = useState("");
  const [days, setDays] = useState(String(DEFAULT_TOKEN_DAYS));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const router = useRouter();
  const create = useMutation({
    mutationFn: (input: unknown) => fetchJson<Created>("/api/tokens", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result) => {
      setCreated(result);
      setName("");
      router.refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.issues.length > 0) setIssues(Object.fromEntries(error.issues.map((i) => [i.path, i.message])));
    },
  });
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setCreated(null);
    // The same schema as the server's: a mistake is named before anything is sent.
    const input = { name, expiresInDays: days.trim() === "" ? Number.NaN : Number(days) };
    const parsed = createAccessTokenSchema.safeParse(input);
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [i.path.map(String).join("."), i.message])));
      return;
    }
    setIssues({});
    create.mutate(parsed.data);
  };
  const formError = create.error && !(create.error instanceof ApiError && create.error.issues.length > 0) ? create.error.message : undefined;

  return (
    <div>
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
        <FieldShell id="token-name" label="Token name" required help="Say where it is used, e.g. “laptop”." error={issues.name}>
          {(describedBy, invalid) => <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} className={inputClasses(invalid)} aria-describedby={describedBy} aria-invalid={invalid || undefined} maxLength={100} />}
        </FieldShell>
        <FieldShell id="token-days" label="Expires after (days)" required help={`1 to ${MAX_TOKEN_DAYS} days.`} error={issues.expiresInDays}>
          {(describedBy, invalid) => <input id="token-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} className={inputClasses(invalid)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
        </FieldShell>
        <Button type="submit" className="sm:mt-6" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
      </form>
      <div aria-live="polite" className="mt-4">
        {formError ? (
          <p role="alert" className="text-sm font-medium text-red-700">
            {formError}
          </p>
        ) : null}
        {created ? (
          <div className="rounded-lg border border-amber-300 bg-amber-50 p-4">
            <p className="text-sm font-semibold text-amber-900">Token &quot;{created.accessToken.name}&quot; created. Copy it now: it will not be shown again.</p>
            <div className="mt-2 flex items-start gap-2">
              <code data-testid="new-token" className="block flex-1 break-all rounded bg-slate-900 p-2 text-xs text-slate-100">
                {created.token}
              </code>
              <CopyButton value={created.token} label="new token" />
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
