import { AuthFailure, AwsError, type AuthFailureKind } from "./aws-error";
import type { HttpResponse } from "./http";

/**
 * AWS JSON 1.1 (the protocol of Service Catalog): `X-Amz-Target: <prefix>.<Operation>`, a JSON body
 * in and out, errors as `{"__type": ..., "message": ...}` with the error shape name also in
 * `x-amzn-ErrorType`. Timestamps travel as epoch seconds.
 */
export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
  }
  return value as Record<string, unknown>;
}

/** Dates become epoch seconds; undefined members are dropped (JSON.stringify does that). */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalise(v);
    return out;
  }
  return value;
}

export function jsonSuccess(output: unknown, requestId: string): HttpResponse {
  return {
    status: 200,
    headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-requestid": requestId },
    body: JSON.stringify(normalise(output ?? {})),
  };
}

export function jsonError(error: AwsError, requestId: string): HttpResponse {
  return {
    status: error.status,
    headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-requestid": requestId, "x-amzn-errortype": error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

const JSON_AUTH_ERRORS: Record<AuthFailureKind, { code: string; status: number }> = {
  missing: { code: "MissingAuthenticationTokenException", status: 400 },
  incomplete: { code: "IncompleteSignatureException", status: 400 },
  "unknown-key": { code: "UnrecognizedClientException", status: 400 },
  "bad-signature": { code: "InvalidSignatureException", status: 400 },
  "wrong-scope": { code: "InvalidSignatureException", status: 400 },
  expired: { code: "ExpiredTokenException", status: 400 },
};

/** JSON services name authentication failures after their own shapes (UnrecognizedClientException, ...). */
export function jsonAuthError(failure: AuthFailure): AwsError {
  const { code, status } = JSON_AUTH_ERRORS[failure.kind];
  return new AwsError(code, failure.message, status);
}
