import { describe, expect, it } from "vitest";
import { transferChanges, updateNeeded, type TransferInput } from "./transfer";
import type { ProvisioningParameter } from "./parameters";

const p = (key: string, type = "String"): ProvisioningParameter => ({ key, type, noEcho: false, constraints: {} });
const ALICE = "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org";
const BOB = "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/bob@example.org";
const ANALYST = "arn:aws:iam::123456789012:role/Analyst";

const bucket: TransferInput = {
  tags: [
    { key: "Purpose", value: "thesis" },
    { key: "OwnerEmail", value: "alice@example.org" },
    { key: "Department", value: "Neuroscience" },
    { key: "Project", value: "ADNI" },
  ],
  parameters: { BucketName: "", OwnerPrincipalArn: ALICE, S3UserARNs: [ANALYST] },
  declared: [p("BucketName"), p("OwnerPrincipalArn"), p("S3UserARNs", "CommaDelimitedList")],
  from: { email: "alice@example.org", department: "Neuroscience", project: "ADNI", principalArn: ALICE },
  to: { email: "bob@example.org", department: "Genomics", project: null, principalArn: BOB },
  reservedKeys: ["OwnerEmail", "Department", "Project"],
  ownerBoundKeys: ["OwnerPrincipalArn"],
  sharingKey: "S3UserARNs",
  tagUpdatesAllowed: true,
};

describe("transferChanges", () => {
  it("takes the new owner off the shared list when it was shared with them", () => {
    const changes = transferChanges({ ...bucket, parameters: { ...bucket.parameters, S3UserARNs: [ANALYST, BOB] } });
    expect(changes.update.parameters).toEqual({ OwnerPrincipalArn: BOB, S3UserARNs: ANALYST });
    expect(changes.access).toEqual({ before: [ALICE, ANALYST, BOB], after: [BOB, ANALYST], loses: [ALICE], gains: [], viaTags: false });
    expect(changes.notes).toContain("It was shared with bob@example.org; as its owner they leave the list of shared principals.");
  });


  it("moves the owner, the reserved tags and the owner-bound parameter, and keeps the rest", () => {
    const changes = transferChanges(bucket);
    expect(changes.owner).toEqual({ from: "alice@example.org", to: "bob@example.org", fromPrincipal: ALICE, toPrincipal: BOB });
    expect(changes.tags).toEqual([
      { key: "OwnerEmail", before: "alice@example.org", after: "bob@example.org" },
      { key: "Department", before: "Neuroscience", after: "Genomics" },
      { key: "Project", before: "ADNI", after: "unknown" },
    ]);
    expect(changes.parameters).toEqual([{ key: "OwnerPrincipalArn", before: ALICE, after: BOB }]);
    expect(changes.access).toEqual({ before: [ALICE, ANALYST], after: [BOB, ANALYST], loses: [ALICE], gains: [BOB], viaTags: false });
    expect(changes.update).toEqual({
      parameters: { OwnerPrincipalArn: BOB },
      tags: [
        { key: "Purpose", value: "thesis" },
        { key: "OwnerEmail", value: "bob@example.org" },
        { key: "Department", value: "Genomics" },
        { key: "Project", value: "unknown" },
      ],
    });
    expect(changes.notes).toEqual(["1 principal the owner shared it with keeps access."]);
    expect(updateNeeded(changes)).toBe(true);
  });

  it("says plainly when AWS will not change the product's tags, and still moves the access", () => {
    const changes = transferChanges({ ...bucket, tagUpdatesAllowed: false });
    expect(changes.tagsWillChange).toBe(false);
    expect(changes.update.tags).toBeNull();
    expect(changes.update.parameters).toEqual({ OwnerPrincipalArn: BOB });
    expect(changes.notes[0]).toMatch(/does not allow tag changes on this product .* the owner and the access still move/);
  });

  it("for a product that names no owner in its parameters, access follows the OwnerEmail tag", () => {
    const instance = { ...bucket, parameters: { EC2InstanceType: "t3a.small" }, declared: [p("EC2InstanceType")], sharingKey: undefined };
    const changes = transferChanges(instance);
    expect(changes.parameters).toEqual([]);
    expect(changes.access).toMatchObject({ viaTags: true, loses: [ALICE], gains: [BOB] });
    expect(changes.notes).toEqual(["No parameter of this product names its owner: access goes through IAM and follows the OwnerEmail tag, which the transfer rewrites."]);
    const frozen = transferChanges({ ...instance, tagUpdatesAllowed: false });
    expect(frozen.access).toMatchObject({ loses: [], gains: [] });
    expect(updateNeeded(frozen)).toBe(false);
  });

  it("needs no update when nothing would change (a transfer back to whoever the tags already name)", () => {
    const same = transferChanges({ ...bucket, to: bucket.from });
    expect(updateNeeded(same)).toBe(false);
  });
});
