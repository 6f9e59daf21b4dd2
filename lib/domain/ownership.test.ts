import { describe, expect, it } from "vitest";
import { endUserPrincipalArn } from "./arn";
import { chosenParameters, isOwnerBoundParameter, ownerBoundValues } from "./ownership";
import type { ProvisioningParameter } from "./parameters";

const param = (key: string): ProvisioningParameter => ({ key, type: "String", noEcho: false, constraints: {} });

describe("endUserPrincipalArn", () => {
  it("is the session ARN STS gives a person's end-user session", () => {
    expect(endUserPrincipalArn("arn:aws:iam::123456789012:role/ServiceCatalogEndusers", "alice@example.org")).toBe(
      "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org",
    );
  });

  it("keeps the partition and drops a role's path, as STS does", () => {
    expect(endUserPrincipalArn("arn:aws-us-gov:iam::210987654321:role/research/Endusers", "bob-0123456789abcdef0123")).toBe(
      "arn:aws-us-gov:sts::210987654321:assumed-role/Endusers/bob-0123456789abcdef0123",
    );
  });

  it("refuses anything but an IAM role ARN", () => {
    expect(() => endUserPrincipalArn("arn:aws:iam::123456789012:user/x", "a")).toThrow(/IAM role ARN/);
    expect(() => endUserPrincipalArn("nope", "a")).toThrow(/IAM role ARN/);
  });
});

describe("owner-bound parameters", () => {
  const params = [param("BucketName"), param("OwnerPrincipalArn"), param("S3UserARNs")];

  it("are recognised whatever their case", () => {
    expect(isOwnerBoundParameter("ownerprincipalarn", ["OwnerPrincipalArn"])).toBe(true);
    expect(isOwnerBoundParameter("OwnerPrincipal", ["OwnerPrincipalArn"])).toBe(false);
  });

  it("are filled with the owner's principal, and only they", () => {
    expect(ownerBoundValues(params, ["OwnerPrincipalArn"], "arn:aws:sts::1:assumed-role/R/a")).toEqual({ OwnerPrincipalArn: "arn:aws:sts::1:assumed-role/R/a" });
    expect(ownerBoundValues(params, [], "x")).toEqual({});
  });

  it("are left out of what people fill in", () => {
    expect(chosenParameters(params, ["OwnerPrincipalArn"]).map((p) => p.key)).toEqual(["BucketName", "S3UserARNs"]);
  });
});
