import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { BASE_CREDENTIALS, ENDUSER_ROLE, start } from "./helpers";

const run = promisify(execFile);

function hasAwsCli(): boolean {
  try {
    execFileSync("aws", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(() => emulator.close());

/** The AWS CLI with only the credentials we hand it: no profiles, no instance metadata. */
function aws(args: string[], credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
  return run("aws", ["--endpoint-url", emulator.url, "--output", "json", ...args], { env: env as NodeJS.ProcessEnv, timeout: 60_000 });
}

describe.skipIf(!hasAwsCli())("the AWS CLI", () => {
  it("assumes the end-user role, then searches products and lists its provisioned products", async () => {
    const identity = JSON.parse((await aws(["sts", "get-caller-identity"], BASE_CREDENTIALS)).stdout);
    expect(identity.Arn).toBe("arn:aws:iam::123456789012:user/quartermaster");

    const denied = await aws(["servicecatalog", "search-products"], BASE_CREDENTIALS).catch((error: { stderr: string }) => error);
    expect((denied as { stderr: string }).stderr).toContain("AccessDeniedException");

    const assumed = JSON.parse((await aws(["sts", "assume-role", "--role-arn", ENDUSER_ROLE, "--role-session-name", "cli-user"], BASE_CREDENTIALS)).stdout);
    const session = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
    const products = JSON.parse((await aws(["servicecatalog", "search-products"], session)).stdout);
    expect(products.ProductViewSummaries.map((p: { Name: string }) => p.Name)).toEqual(["EC2 Linux Instance", "S3 Private Encrypted Bucket", "S3 Synapse Bucket"]);
    const provisioned = JSON.parse((await aws(["servicecatalog", "search-provisioned-products", "--access-level-filter", "Key=User,Value=Self"], session)).stdout);
    expect(provisioned.ProvisionedProducts).toEqual([]);
  });
});
