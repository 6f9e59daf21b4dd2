/**
 * Production mode without AWS keys: the portal's base credentials come from the SDK's default
 * chain (profile, web identity, container, instance), the ways portals run on AWS. Of those, a
 * profile is the one that works off AWS, so it stands for the chain here: a credentials file whose
 * profile holds the emulator's keys, and a real sts:AssumeRole over HTTP signed with them.
 * Instance metadata stays off (AWS_EC2_METADATA_DISABLED, vitest.config.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_KEYS, startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { emulatorCalls, resetCalls } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
const awsDir = mkdtempSync(path.join(os.tmpdir(), "qm-aws-profile-"));

beforeAll(async () => {
  backend = await startPortalBackend();
  const credentialsFile = path.join(awsDir, "credentials");
  writeFileSync(credentialsFile, `[someprofile]\naws_access_key_id = ${EMULATOR_KEYS.accessKeyId}\naws_secret_access_key = ${EMULATOR_KEYS.secretAccessKey}\n`);
  // The portal as production runs it: no keys in its environment, a profile instead.
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  Object.assign(process.env, {
    QUARTERMASTER_MODE: "production",
    APP_URL: "https://quartermaster.example.org",
    AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::123456789012:role/ServiceCatalogEndusers",
    AWS_ADMIN_ROLE_ARN: "arn:aws:iam::123456789012:role/ServiceCatalogAdmins",
    AWS_PROFILE: "someprofile",
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: path.join(awsDir, "config"),
  });
});

afterAll(async () => {
  await backend?.close();
  rmSync(awsDir, { recursive: true, force: true });
});

describe("base credentials in production mode", () => {
  it("come from the AWS profile through the SDK's default chain: the user's role is assumed with them", async () => {
    const { baseCredentials } = await import("@/lib/aws/config");
    expect(baseCredentials()).toBeUndefined();

    await resetCalls(backend);
    const { sessionFor } = await import("@/lib/aws/sessions");
    const session = await sessionFor({ email: "alice@example.org", department: "Neuroscience", project: "ADNI" });
    expect(session.principalArn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org");
    // Signed with the profile's key: the emulator knows that key as the portal's IAM user.
    const calls = await emulatorCalls(backend);
    expect(calls.calls).toContainEqual(expect.objectContaining({ operation: "AssumeRole", caller: "arn:aws:iam::123456789012:user/quartermaster", errors: 0 }));
  });
});
