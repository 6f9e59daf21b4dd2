/**
 * An error as AWS reports it: the error shape's name (`code`), AWS's wording, the HTTP status and
 * whether the caller (Sender) or the service (Receiver) is at fault. Protocol codecs render it as
 * JSON (`__type`) or XML (`<ErrorResponse>`); rule code only throws it.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }

  get fault(): "Sender" | "Receiver" {
    return this.status >= 500 ? "Receiver" : "Sender";
  }
}

/** Why a request's signature was refused; each protocol names these differently (see codecs). */
export type AuthFailureKind = "missing" | "incomplete" | "unknown-key" | "bad-signature" | "expired" | "wrong-scope";

export class AuthFailure extends Error {
  readonly kind: AuthFailureKind;

  constructor(kind: AuthFailureKind, message: string) {
    super(message);
    this.name = "AuthFailure";
    this.kind = kind;
  }
}

/** AWS's wording for authentication failures, shared by both protocols. */
export const AUTH_MESSAGES = {
  missing: "Request is missing Authentication Token",
  unknownKey: "The security token included in the request is invalid.",
  badSignature:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  expired: "The security token included in the request is expired",
} as const;
