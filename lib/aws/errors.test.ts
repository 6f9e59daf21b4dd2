import { describe, expect, it } from "vitest";
import { fromAwsError, isExpiredTokenError } from "@/lib/aws/errors";
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
