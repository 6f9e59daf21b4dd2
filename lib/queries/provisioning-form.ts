import { useCallback, useEffect, useState } from "react";
import { fetchJson } from "@/lib/queries/fetch-json";
import type { ProvisioningForm } from "@/lib/services/catalog";

export type FormRequest = { productId: string; versionId: string; pathId: string | null };
export type FormState = { status: "pending" } | { status: "error"; message: string; retry: () => void } | { status: "ready"; form: ProvisioningForm };

export const provisioningFormUrl = ({ productId, versionId, pathId }: FormRequest) =>
  `/api/catalog/${encodeURIComponent(productId)}/form?version=${encodeURIComponent(versionId)}${pathId ? `&path=${encodeURIComponent(pathId)}` : ""}`;

const keyOf = (r: { versionId: string; pathId: string | null }) => `${r.versionId}\u0000${r.pathId ?? ""}`;

/**
 * The launch form's definition for the chosen version and launch path. The page's own version
 * comes from the server (`initial`); another one is fetched when chosen, once per mount (choosing
 * back does not ask again), and a reply for a version no longer chosen is dropped. A failed load
 * says why and offers to try again. (A plain fetch rather than TanStack's query observer: this is
 * the only request the form makes, and the observer is 3 KB of the page's script.)
 */
export function useProvisioningForm(request: FormRequest, initial?: { versionId: string; pathId: string | null; form: ProvisioningForm }): FormState {
  const [forms, setForms] = useState(() => new Map<string, ProvisioningForm>(initial ? [[keyOf(initial), initial.form]] : []));
  const key = keyOf(request);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { productId, versionId, pathId } = request;
  const loaded = forms.has(key);

  useEffect(() => {
    if (loaded) return;
    const controller = new AbortController();
    setFailure(null);
    fetchJson<ProvisioningForm>(provisioningFormUrl({ productId, versionId, pathId }), { signal: controller.signal }).then(
      (form) => setForms((all) => new Map(all).set(key, form)),
      (error: unknown) => {
        if (!controller.signal.aborted) setFailure({ key, message: error instanceof Error ? error.message : "Something went wrong." });
      },
    );
    return () => controller.abort();
  }, [loaded, key, productId, versionId, pathId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const form = forms.get(key);
  if (form) return { status: "ready", form };
  if (failure?.key === key) return { status: "error", message: failure.message, retry };
  return { status: "pending" };
}
