/** What a codec hands back to the server: written to the socket as-is. */
export type HttpResponse = { status: number; headers: Record<string, string>; body: string };

export function jsonResponse(status: number, value: unknown): HttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: `${JSON.stringify(value, null, 2)}\n` };
}
