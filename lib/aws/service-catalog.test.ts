/**
 * lib/aws turns Service Catalog's answers into the portal's own types: the services and the
 * domain never see an SDK shape. A plan's resource changes, as the plan review shows them.
 */
import { describe, expect, it } from "vitest";
import { resourceChangeFromAws } from "@/lib/aws/service-catalog";

describe("resourceChangeFromAws", () => {
  it("maps the SDK's shape", () => {
    expect(
      resourceChangeFromAws({
        Action: "MODIFY",
        LogicalResourceId: "Web",
        PhysicalResourceId: "i-123",
        ResourceType: "AWS::EC2::Instance",
        Replacement: "TRUE",
        Details: [{ Target: { Attribute: "PROPERTIES", Name: "ImageId", RequiresRecreation: "ALWAYS" }, Evaluation: "STATIC", CausingEntity: "ImageId" }],
      }),
    ).toEqual({
      action: "MODIFY",
      logicalResourceId: "Web",
      physicalResourceId: "i-123",
      resourceType: "AWS::EC2::Instance",
      replacement: "TRUE",
      details: [{ target: { attribute: "PROPERTIES", name: "ImageId", requiresRecreation: "ALWAYS" }, evaluation: "STATIC", causingEntity: "ImageId" }],
    });
  });

  it("fills missing fields", () => {
    expect(resourceChangeFromAws({})).toEqual({ action: "MODIFY", logicalResourceId: "", resourceType: "" });
  });
});
