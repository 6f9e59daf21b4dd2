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
