import { AuthFailure, AwsError, type AuthFailureKind } from "./aws-error";
import type { HttpResponse } from "./http";

/**
 * The AWS Query protocol (STS): form-encoded `Action=...&Version=...` in, XML out, errors as
 * `<ErrorResponse>`. Lists are flattened as `Name.member.N`, structures as `Name.member.N.Field`.
 */
export type QueryParams = Map<string, string>;

export function parseQueryParams(body: Buffer, rawQuery: string): QueryParams {
  const params: QueryParams = new Map();
  for (const source of [rawQuery, body.toString("utf8")]) {
    for (const [key, value] of new URLSearchParams(source)) params.set(key, value);
  }
  return params;
}

/** `Tags.member.1.Key`, `Tags.member.1.Value`, ... -> [{Key, Value}, ...] in index order. */
export function readStructList(params: QueryParams, name: string): Array<Record<string, string>> {
  const items = new Map<number, Record<string, string>>();
  const pattern = new RegExp(`^${name}\\.member\\.(\\d+)\\.(\\w+)$`);
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const item = items.get(index) ?? {};
    item[match[2]!] = value;
    items.set(index, item);
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

/** `Keys.member.1`, `Keys.member.2` -> [..] in index order. */
export function readList(params: QueryParams, name: string): string[] {
  const pattern = new RegExp(`^${name}\\.member\\.(\\d+)$`);
  return [...params.entries()]
    .map(([key, value]) => [pattern.exec(key), value] as const)
    .filter(([match]) => match !== null)
    .sort(([a], [b]) => Number(a![1]) - Number(b![1]))
    .map(([, value]) => value);
}

function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export function toXml(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join("");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  }
  return escapeXml(String(value));
}

export function querySuccess(action: string, namespace: string, result: unknown, requestId: string): HttpResponse {
  const body =
    `<${action}Response xmlns="${namespace}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId }, body };
}

export function queryError(error: AwsError, namespace: string, requestId: string): HttpResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId }, body };
}

const QUERY_AUTH_ERRORS: Record<AuthFailureKind, { code: string; status: number }> = {
  missing: { code: "MissingAuthenticationToken", status: 403 },
  incomplete: { code: "IncompleteSignature", status: 400 },
  "unknown-key": { code: "InvalidClientTokenId", status: 403 },
  "bad-signature": { code: "SignatureDoesNotMatch", status: 403 },
  "wrong-scope": { code: "SignatureDoesNotMatch", status: 403 },
  expired: { code: "ExpiredToken", status: 403 },
};

export function queryAuthError(failure: AuthFailure): AwsError {
  const { code, status } = QUERY_AUTH_ERRORS[failure.kind];
  return new AwsError(code, failure.message, status);
}
