import "server-only";
import { ConflictError, ForbiddenError, NotFoundError, UpstreamError, ValidationError, type AppError } from "@/lib/errors";

type SdkError = { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };

function isSdkError(error: unknown): error is SdkError {
  return typeof error === "object" && error !== null && "$metadata" in error;
}

/** AWS exceptions become errors with messages a researcher can act on; the rest propagates. */
export function fromAwsError(error: unknown, context: string): AppError | unknown {
  if (!isSdkError(error)) return error;
  const message = error.message ?? "";
  switch (error.name) {
    case "InvalidParametersException":
      return new ValidationError(`AWS rejected the request: ${message}`, [{ path: parameterPath(message), message }]);
    case "DuplicateResourceException":
      return new ConflictError(`${context}: ${message || "a resource with that name already exists."}`);
    case "ResourceInUseException":
      return new ConflictError(`${context}: the product is being changed right now. Wait until it is available, then try again.`);
    case "ResourceNotFoundException":
      return new NotFoundError(`${context}: AWS could not find it (${message}).`);
    case "AccessDeniedException":
    case "AccessDenied":
    case "UnauthorizedOperation":
      return new ForbiddenError(`${context}: your AWS role does not allow this.`);
    case "ThrottlingException":
    case "Throttling":
    case "TooManyRequestsException":
      return new UpstreamError(`${context}: AWS is busy right now. Nothing was changed; try again in a minute.`, 503, error.name);
    case "LimitExceededException":
      return new ConflictError(`${context}: an AWS limit was reached (${message}).`);
    default:
      return new UpstreamError(`${context}: AWS did not complete the request. Try again; if it persists, contact your administrator.`, 502, error.name);
  }
}

/**
 * A failure to get the person's AWS session (STS AssumeRole). It comes before any Service Catalog
 * call, so whatever it is, nothing was changed: STS throttling or failing (5xx, unreachable) reads
 * as "try again in a minute" (503); a refusal (the role's trust policy, …) keeps its own meaning.
 */
export function fromSessionError(error: unknown, context: string): AppError | unknown {
  const status = isSdkError(error) ? error.$metadata?.httpStatusCode : undefined;
  const refused = isSdkError(error) && status !== undefined && status < 500 && !THROTTLING.includes(error.name ?? "");
  if (refused) return fromAwsError(error, context);
  return new UpstreamError(`${context}: AWS is not available right now. Nothing was changed; try again in a minute.`, 503, isSdkError(error) ? error.name : undefined);
}

const THROTTLING = ["ThrottlingException", "Throttling", "TooManyRequestsException"];

export function isExpiredTokenError(error: unknown): boolean {
  return isSdkError(error) && (error.name === "ExpiredTokenException" || error.name === "ExpiredToken");
}

/** AWS names the parameter in its message ("Parameter 'VolumeSize' ..."); point the form at it. */
function parameterPath(message: string): string {
  const match = /parameter[^'"]*['"]([A-Za-z0-9]+)['"]/i.exec(message);
  return match ? `parameters.${match[1]}` : "";
}
