/**
 * Typed errors thrown by services and mapped to HTTP responses in one place (lib/api/handle-error).
 * Messages here are safe to show to the user; anything else becomes a generic 500.
 */
export type FieldIssue = { path: string; message: string };

export class AppError extends Error {
  constructor(
    message: string,
    public readonly status: number,
    public readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "Sign in to continue.") {
    super(message, 401, "unauthenticated");
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do that.") {
    super(message, 403, "forbidden");
  }
}

/** Also used for resources that exist but belong to someone else: their existence is not revealed. */
export class NotFoundError extends AppError {
  constructor(message = "Not found.") {
    super(message, 404, "not_found");
  }
}

/** The request itself is malformed (not JSON, empty): nothing about it could be understood. */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super(message, 400, "bad_request");
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(`The request is too large: at most ${Math.round(limitBytes / 1024)} KB.`, 413, "payload_too_large");
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super("Send the request as JSON, with Content-Type: application/json.", 415, "unsupported_media_type");
  }
}

/** Too many requests of one kind by one person; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(message, 429, "rate_limited");
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, "conflict");
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    public readonly issues: FieldIssue[],
  ) {
    super(message, 422, "validation_failed");
  }

  /** From a schema's issues (zod's): the first one, with its field, sums them up. */
  static fromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ValidationError {
    const fields = issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
    const first = fields[0];
    const summary = first
      ? `${first.path ? `${first.path}: ` : ""}${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ""}`
      : "The request is not valid.";
    return new ValidationError(summary, fields);
  }
}

/** AWS refused or failed; the message is rewritten for people by lib/aws/errors. */
export class UpstreamError extends AppError {
  constructor(
    message: string,
    status = 502,
    public readonly awsCode?: string,
  ) {
    super(message, status, "aws_error");
  }
}

/** Why a sign-in is refused: the code the sign-in page explains (`/signin?error=<reason>`). */
export type LoginRefusal = "EmailNotVerified" | "AwsIdentityClash" | "Deactivated";

/** A sign-in the portal refuses; nobody is signed in and the page says why. */
export class LoginRefusedError extends AppError {
  constructor(
    public readonly reason: LoginRefusal,
    message: string,
  ) {
    super(message, 403, "login_refused");
  }
}
