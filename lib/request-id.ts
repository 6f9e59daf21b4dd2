/**
 * The request id that ties a request's log lines together. A caller (a load balancer, a client
 * retrying) may send one in `x-request-id`; it is kept only when it is short and plain, because it
 * is copied into every log line, the audit table and the response: 8..128 characters of letters,
 * digits and `._:-`, starting with a letter or digit (UUIDs, AWS and trace ids fit). Anything
 * else is replaced by a fresh UUID. Runs in the proxy and in route handlers (Web Crypto only).
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
}
