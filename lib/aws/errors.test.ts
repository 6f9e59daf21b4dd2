import { describe, expect, it } from "vitest";
import { fromAwsError, fromSessionError, isExpiredTokenError } from "@/lib/aws/errors";
import { ConflictError, ForbiddenError, NotFoundError, UpstreamError, ValidationError } from "@/lib/errors";

const sdkError = (name: string, message = "") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });

describe("fromAwsError", () => {
  it("turns a parameter rejection into a 422 pointing at the parameter", () => {
    const error = fromAwsError(sdkError("InvalidParametersException", "Parameter 'VolumeSize' must be a number not greater than 5000"), "Launching the product");
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(422);
    expect((error as ValidationError).issues[0]?.path).toBe("parameters.VolumeSize");
  });

  it("explains a product being changed as a conflict to retry later", () => {
    const error = fromAwsError(sdkError("ResourceInUseException"), "Updating the product") as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/being changed right now/);
  });

  it("maps not found, access denied and duplicates", () => {
    expect(fromAwsError(sdkError("ResourceNotFoundException", "x"), "c")).toBeInstanceOf(NotFoundError);
    expect(fromAwsError(sdkError("AccessDeniedException"), "c")).toBeInstanceOf(ForbiddenError);
    expect(fromAwsError(sdkError("DuplicateResourceException", "name taken"), "c")).toBeInstanceOf(ConflictError);
  });

  it("says AWS is busy (503) when throttling outlasted the retries, and changed nothing", () => {
    const error = fromAwsError(sdkError("ThrottlingException"), "Launching the product") as UpstreamError;
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/busy/);
  });

  it("never passes an unknown AWS message through to the user", () => {
    const error = fromAwsError(sdkError("InternalFailure", "stack trace at arn:aws:secret"), "Launching the product") as UpstreamError;
    expect(error.status).toBe(502);
    expect(error.message).not.toContain("stack trace");
  });

  it("leaves non-AWS errors alone", () => {
    const plain = new TypeError("bug");
    expect(fromAwsError(plain, "c")).toBe(plain);
  });

  it("recognises an expired session", () => {
    expect(isExpiredTokenError(sdkError("ExpiredTokenException"))).toBe(true);
    expect(isExpiredTokenError(sdkError("ThrottlingException"))).toBe(false);
  });
});

describe("fromSessionError", () => {
  const stsError = (name: string, httpStatusCode: number) => Object.assign(new Error("details"), { name, $metadata: { httpStatusCode } });

  it("says nothing was changed (503) when STS throttles, fails or cannot be reached", () => {
    for (const error of [stsError("Throttling", 400), stsError("InternalFailure", 500), stsError("ServiceUnavailable", 503), new Error("connect ECONNREFUSED")]) {
      const mapped = fromSessionError(error, "Launching the product") as UpstreamError;
      expect(mapped).toBeInstanceOf(UpstreamError);
      expect(mapped.status).toBe(503);
      expect(mapped.message).toBe("Launching the product: AWS is not available right now. Nothing was changed; try again in a minute.");
    }
  });

  it("keeps the meaning of a refusal", () => {
    expect(fromSessionError(stsError("AccessDenied", 403), "c")).toBeInstanceOf(ForbiddenError);
  });
});
