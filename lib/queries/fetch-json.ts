/** Errors from our API, with the field issues the server found (422) kept for the form. */
export class ApiError extends Error {
  constructor(
    message: string,
    public readonly status: number,
    public readonly code: string,
    public readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: undefined })
    | { error?: { message?: string; code?: string; issues?: { path: string; message: string }[] } }
    | null;
  if (!response.ok) {
    const error = (body as { error?: { message?: string; code?: string; issues?: { path: string; message: string }[] } } | null)?.error;
    throw new ApiError(error?.message ?? `Request failed (${response.status})`, response.status, error?.code ?? "error", error?.issues ?? []);
  }
  return body as T;
}
