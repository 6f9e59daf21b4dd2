import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { ADMIN_ROLE, assume, BASE_CREDENTIALS, ENDUSER_ROLE, failure, start, stsClient } from "./helpers";

let emulator: RunningEmulator;
let sts: STSClient;

beforeAll(async () => {
  emulator = await start();
  sts = stsClient(emulator);
});
afterAll(() => emulator.close());

describe("STS GetCallerIdentity", () => {
  it("names the base IAM user", async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe("123456789012");
    expect(identity.Arn).toBe("arn:aws:iam::123456789012:user/quartermaster");
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]+$/);
  });

  it("names an assumed-role session", async () => {
    const alice = await assume(emulator, "alice");
    const identity = await stsClient(emulator, alice.credentials).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice");
    expect(identity.UserId).toMatch(/^AROA[A-Z2-7]+:alice$/);
  });
});

describe("STS AssumeRole", () => {
  it("issues temporary credentials with the session's ARN, duration and source identity", async () => {
    const before = Date.now();
    const result = await sts.send(
      new AssumeRoleCommand({
        RoleArn: ENDUSER_ROLE,
        RoleSessionName: "alice-example.org",
        DurationSeconds: 900,
        SourceIdentity: "alice@example.org",
        Tags: [
          { Key: "OwnerEmail", Value: "alice@example.org" },
          { Key: "Department", Value: "Genomics" },
        ],
        TransitiveTagKeys: ["OwnerEmail"],
      }),
    );
    expect(result.AssumedRoleUser?.Arn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice-example.org");
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]+:alice-example\.org$/);
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(result.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    expect(result.SourceIdentity).toBe("alice@example.org");
    const expiresIn = result.Credentials!.Expiration!.getTime() - before;
    expect(expiresIn).toBeGreaterThan(899_000);
    expect(expiresIn).toBeLessThan(901_000);
    const state = await (await fetch(`${emulator.url}/_emulator/state`)).json();
    const session = state.sessions.find((s: { accessKeyId: string }) => s.accessKeyId === result.Credentials!.AccessKeyId);
    expect(session.tags).toEqual([
      { Key: "OwnerEmail", Value: "alice@example.org" },
      { Key: "Department", Value: "Genomics" },
    ]);
    expect(session.transitiveTagKeys).toEqual(["OwnerEmail"]);
    expect(JSON.stringify(state.sessions)).not.toContain(result.Credentials!.SecretAccessKey!);
  });

  const cases: Array<[string, Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>, string, RegExp]> = [
    ["a duration under 900 s", { DurationSeconds: 899 }, "ValidationError", /at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/],
    ["a duration over 43200 s", { DurationSeconds: 43201 }, "ValidationError", /Member must have value less than or equal to 43200/],
    ["a session name with a space", { RoleSessionName: "alice smith" }, "ValidationError", /at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ["a one-character session name", { RoleSessionName: "a" }, "ValidationError", /at 'roleSessionName' .*length greater than or equal to 2/],
    ["a session name over 64 characters", { RoleSessionName: "a".repeat(65) }, "ValidationError", /length less than or equal to 64/],
    ["51 session tags", { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" })) }, "ValidationError", /at 'tags' .*length less than or equal to 50/],
    ["a tag key over 128 characters", { Tags: [{ Key: "k".repeat(129), Value: "v" }] }, "ValidationError", /at 'tags.1.member.key' .*length less than or equal to 128/],
    ["a tag value over 256 characters", { Tags: [{ Key: "k", Value: "v".repeat(257) }] }, "ValidationError", /at 'tags.1.member.value' .*length less than or equal to 256/],
    ["an aws: tag key", { Tags: [{ Key: "aws:owner", Value: "x" }] }, "InvalidParameterValue", /aws:/],
    ["duplicate tag keys", { Tags: [{ Key: "Team", Value: "a" }, { Key: "team", Value: "b" }] }, "InvalidParameterValue", /Duplicate tag keys found/],
    ["a transitive key that is not a tag", { Tags: [{ Key: "Team", Value: "a" }], TransitiveTagKeys: ["Project"] }, "InvalidParameterValue", /transitive tag key must be included/],
    ["a source identity with a space", { SourceIdentity: "alice smith" }, "ValidationError", /at 'sourceIdentity'/],
  ];
  it.each(cases)("refuses %s", async (_label, change, code, message) => {
    const error = await failure(sts.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice", ...change })));
    expect(error.name).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("caps the duration at the role's maximum session duration", async () => {
    const error = await failure(sts.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: "admin", DurationSeconds: 43200 })));
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "long", DurationSeconds: 43200 }))).resolves.toBeTruthy();
  });

  it("denies roles that do not exist or do not trust the caller", async () => {
    const unknown = await failure(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/Nope", RoleSessionName: "alice" })));
    expect(unknown.name).toBe("AccessDenied");
    expect(unknown.$metadata.httpStatusCode).toBe(403);
    expect(unknown.message).toBe("User: arn:aws:iam::123456789012:user/quartermaster is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/Nope");
    const alice = await assume(emulator, "alice");
    const chained = await failure(stsClient(emulator, alice.credentials).send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: "escalate" })));
    expect(chained.name).toBe("AccessDenied");
    expect(chained.message).toContain("assumed-role/ServiceCatalogEndusers/alice is not authorized to perform: sts:AssumeRole");
  });

  it("requires the ExternalId when the roles are configured with one", async () => {
    const guarded = await start({ roleExternalId: "quartermaster-ext" });
    try {
      const client = stsClient(guarded, BASE_CREDENTIALS);
      expect((await failure(client.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice" })))).name).toBe("AccessDenied");
      expect((await failure(client.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice", ExternalId: "wrong-id" })))).name).toBe("AccessDenied");
      const ok = await client.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice", ExternalId: "quartermaster-ext" }));
      expect(ok.AssumedRoleUser?.Arn).toContain("/alice");
    } finally {
      await guarded.close();
    }
  });

  it("refuses session tags when the trust policy lacks sts:TagSession, and a SourceIdentity without sts:SetSourceIdentity", async () => {
    const tagless = await start({ trustActions: ["sts:SetSourceIdentity"] });
    try {
      const client = stsClient(tagless, BASE_CREDENTIALS);
      const tagged = await failure(client.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice", Tags: [{ Key: "Department", Value: "Genomics" }] })));
      expect(tagged.name).toBe("AccessDenied");
      expect(tagged.$metadata.httpStatusCode).toBe(403);
      expect(tagged.message).toBe(`User: arn:aws:iam::123456789012:user/quartermaster is not authorized to perform: sts:TagSession on resource: ${ENDUSER_ROLE}`);
      // The same request without tags is allowed (the role is trusted for AssumeRole).
      expect((await client.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice", SourceIdentity: "alice" }))).AssumedRoleUser?.Arn).toContain("/alice");
    } finally {
      await tagless.close();
    }
    const noSource = await start({ trustActions: ["sts:TagSession"] });
    try {
      const client = stsClient(noSource, BASE_CREDENTIALS);
      const sourced = await failure(client.send(new AssumeRoleCommand({ RoleArn: ENDUSER_ROLE, RoleSessionName: "alice", SourceIdentity: "alice@example.org" })));
      expect(sourced.message).toContain("is not authorized to perform: sts:SetSourceIdentity on resource");
    } finally {
      await noSource.close();
    }
  });
});
