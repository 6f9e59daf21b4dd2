import { describe, expect, it } from "vitest";
import {
  assessPlan,
  describeResourceChange,
  planLosesData,
  planWarnings,
  terminationConsequences,
  type PlanResourceChange,
} from "./plan";

function change(resourceType: string, action: string, replacement?: string, logicalResourceId = "Res"): PlanResourceChange {
  return { action, resourceType, logicalResourceId, ...(replacement ? { replacement } : {}) };
}

const message = (c: PlanResourceChange) => describeResourceChange(c).message;
const severity = (c: PlanResourceChange) => describeResourceChange(c).severity;

describe("describeResourceChange", () => {
  it("warns that a replaced instance loses its data", () => {
    const c = change("AWS::EC2::Instance", "MODIFY", "TRUE", "WebServer");
    expect(describeResourceChange(c)).toEqual({
      severity: "danger",
      logicalResourceId: "WebServer",
      resourceType: "AWS::EC2::Instance",
      message: "The instance will be recreated: data on it will be lost.",
      causes: [],
    });
  });

  it("says an instance may be recreated when replacement is conditional", () => {
    const c = change("AWS::EC2::Instance", "MODIFY", "CONDITIONAL");
    expect(message(c)).toBe("The instance may be recreated: if it is, data on it will be lost.");
    expect(severity(c)).toBe("warning");
  });

  it("warns that a replaced bucket loses its objects", () => {
    expect(message(change("AWS::S3::Bucket", "MODIFY", "TRUE"))).toBe("The bucket will be replaced: its objects will be lost.");
    expect(severity(change("AWS::S3::Bucket", "MODIFY", "TRUE"))).toBe("danger");
  });

  it("warns about removals of resources holding data", () => {
    expect(message(change("AWS::EC2::Instance", "REMOVE"))).toBe("The instance will be deleted: data on it will be lost.");
    expect(message(change("AWS::S3::Bucket", "REMOVE"))).toBe("The bucket will be deleted: its objects will be lost.");
    expect(severity(change("AWS::S3::Bucket", "REMOVE"))).toBe("danger");
  });

  it.each([
    ["AWS::EC2::Volume", "The disk will be replaced: the data on it will be lost."],
    ["AWS::RDS::DBInstance", "The database will be replaced: its data will be lost unless you have a snapshot."],
    ["AWS::DynamoDB::Table", "The table will be replaced: its items will be lost."],
    ["AWS::EFS::FileSystem", "The file system will be replaced: its files will be lost."],
    ["AWS::SageMaker::NotebookInstance", "The notebook instance will be recreated: files on it will be lost."],
  ])("knows what a replaced %s loses", (type, text) => {
    expect(message(change(type, "MODIFY", "TRUE"))).toBe(text);
    expect(severity(change(type, "MODIFY", "TRUE"))).toBe("danger");
  });

  it("warns, without data-loss severity, when a public IP address is replaced", () => {
    const c = change("AWS::EC2::EIP", "MODIFY", "TRUE");
    expect(message(c)).toBe("The public IP address will be replaced: the address will change.");
    expect(severity(c)).toBe("warning");
  });

  it("names other resource types in words", () => {
    expect(message(change("AWS::EC2::SecurityGroup", "MODIFY", "TRUE"))).toBe("The security group will be replaced.");
    expect(severity(change("AWS::EC2::SecurityGroup", "MODIFY", "TRUE"))).toBe("warning");
    expect(message(change("AWS::IAM::Role", "REMOVE"))).toBe("The role will be deleted.");
    expect(message(change("AWS::IAM::InstanceProfile", "MODIFY", "CONDITIONAL"))).toBe("The instance profile may be replaced.");
    expect(message(change("", "MODIFY", "TRUE"))).toBe("The resource will be replaced.");
  });

  it("describes additions, imports and in-place changes as info", () => {
    expect(describeResourceChange(change("AWS::EC2::Instance", "ADD"))).toMatchObject({ severity: "info", message: "An instance will be created." });
    expect(message(change("AWS::S3::Bucket", "ADD"))).toBe("A bucket will be created.");
    expect(message(change("AWS::S3::Bucket", "IMPORT"))).toBe("An existing bucket will be brought under this product.");
    expect(describeResourceChange(change("AWS::EC2::Instance", "MODIFY", "FALSE"))).toMatchObject({
      severity: "info",
      message: "The instance will be changed in place.",
    });
    expect(message(change("AWS::EC2::Instance", "MODIFY"))).toBe("The instance will be changed in place.");
  });

  it("describes an unknown action neutrally", () => {
    expect(describeResourceChange(change("AWS::S3::Bucket", "DYNAMIC"))).toMatchObject({ severity: "info", message: "The bucket will change (dynamic)." });
  });

  it("lists the properties that force the replacement", () => {
    const c: PlanResourceChange = {
      ...change("AWS::EC2::Instance", "MODIFY", "TRUE"),
      details: [
        { target: { attribute: "Properties", name: "ImageId", requiresRecreation: "ALWAYS" } },
        { target: { attribute: "Properties", name: "InstanceType", requiresRecreation: "NEVER" } },
        { target: { attribute: "Properties", name: "UserData", requiresRecreation: "CONDITIONALLY" } },
        { target: { attribute: "Properties", name: "ImageId", requiresRecreation: "ALWAYS" } },
      ],
    };
    expect(describeResourceChange(c).causes).toEqual(["ImageId", "UserData"]);
  });
});

describe("assessPlan / planWarnings / planLosesData", () => {
  const changes = [
    change("AWS::EC2::SecurityGroup", "ADD", undefined, "Sg"),
    change("AWS::EC2::SecurityGroup", "MODIFY", "CONDITIONAL", "Sg2"),
    change("AWS::EC2::Instance", "MODIFY", "TRUE", "A"),
    change("AWS::EC2::Instance", "MODIFY", "TRUE", "B"),
  ];

  it("orders dangers first, then warnings, then info, keeping plan order within each", () => {
    expect(assessPlan(changes).map((w) => [w.severity, w.logicalResourceId])).toEqual([
      ["danger", "A"],
      ["danger", "B"],
      ["warning", "Sg2"],
      ["info", "Sg"],
    ]);
  });

  it("gives each warning sentence once and leaves out info", () => {
    expect(planWarnings(changes)).toEqual([
      "The instance will be recreated: data on it will be lost.",
      "The security group may be replaced.",
    ]);
  });

  it("gives no warnings for an in-place change", () => {
    expect(planWarnings([change("AWS::EC2::Instance", "MODIFY", "FALSE")])).toEqual([]);
    expect(planWarnings([])).toEqual([]);
  });

  it("tells whether data would be lost", () => {
    expect(planLosesData(changes)).toBe(true);
    expect(planLosesData([change("AWS::EC2::Instance", "MODIFY", "CONDITIONAL")])).toBe(false);
  });
});

describe("terminationConsequences", () => {
  it("explains an instance loses its disk", () => {
    expect(terminationConsequences(["AWS::EC2::Instance", "AWS::EC2::SecurityGroup"], { retainsBuckets: false })).toEqual({
      lost: ["The instance and its disk: anything stored on it is deleted.", "One other resource it created (security group)."],
      kept: ["Its record in the portal, with its parameters and history (shown as Terminated)."],
    });
  });

  it("keeps a retained bucket", () => {
    const result = terminationConsequences(["AWS::S3::Bucket", "AWS::S3::BucketPolicy"], { retainsBuckets: true });
    expect(result.kept[0]).toBe("The bucket and its objects: the product keeps it in the account, but you will no longer manage it here.");
    expect(result.lost).toEqual(["Everything the product created (bucket policy)."]);
  });

  it("loses a bucket that is not retained", () => {
    expect(terminationConsequences(["AWS::S3::Bucket"], { retainsBuckets: false }).lost).toEqual(["The bucket and every object in it."]);
  });

  it("counts several resources of a kind", () => {
    const result = terminationConsequences(["AWS::EC2::Instance", "AWS::EC2::Instance", "AWS::S3::Bucket", "AWS::S3::Bucket"], {
      retainsBuckets: true,
    });
    expect(result.lost).toEqual(["The 2 instances and their disks: anything stored on them is deleted."]);
    expect(result.kept[0]).toMatch(/^The 2 buckets and their objects/);
  });

  it("summarises many other resources", () => {
    const types = ["AWS::IAM::Role", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Lambda::Function", "AWS::SNS::Topic"];
    expect(terminationConsequences(types, { retainsBuckets: false }).lost).toEqual(["Everything the product created (roles, policy, function, …)."]);
  });

  it("says everything goes when the resources are unknown", () => {
    expect(terminationConsequences([], { retainsBuckets: false }).lost).toEqual(["Everything the product created in AWS."]);
  });
});

describe("replacementWarnings", () => {
  it("names each resource a transfer would replace or remove, with the cause; in-place changes pass", async () => {
    const { replacementWarnings } = await import("./plan");
    expect(
      replacementWarnings([
        { action: "MODIFY", logicalResourceId: "BucketPolicy", resourceType: "AWS::S3::BucketPolicy", replacement: "FALSE" },
        { action: "MODIFY", logicalResourceId: "EC2Instance", resourceType: "AWS::EC2::Instance", replacement: "TRUE", details: [{ target: { name: "UserData", requiresRecreation: "ALWAYS" } }] },
      ]),
    ).toEqual(["EC2Instance (AWS::EC2::Instance): The instance will be recreated: data on it will be lost. Caused by: UserData."]);
  });
});
