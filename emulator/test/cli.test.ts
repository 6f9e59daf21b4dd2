import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../server";
import { ADMIN_ROLE, BASE_CREDENTIALS, ENDUSER_ROLE, assume, start, waitForRecord } from "./helpers";

const run = promisify(execFile);

/** Every AWS CLI on this machine (Debian's `awscli` is v2 at /usr/bin/aws; PATH may hold another), by version. */
function awsClis(): { command: string; version: string }[] {
  const found = new Map<string, string>();
  for (const command of ["/usr/bin/aws", "aws"]) {
    try {
      const version = execFileSync(command, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split(" ")[0]!.trim();
      if (!found.has(version)) found.set(version, command);
    } catch {
      // not installed here
    }
  }
  return [...found].map(([version, command]) => ({ command, version }));
}
const clis = awsClis();
// Outside CI a machine without the CLI skips these; CI installs it (.ci/run), so there a missing
// CLI is a failure, not a silent skip.
if (clis.length === 0 && process.env.CI) throw new Error("The AWS CLI v2 (/usr/bin/aws) is required in CI: install Debian's awscli");

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(() => emulator.close());

/** The AWS CLI with only the credentials we hand it: no profiles, no instance metadata. */
function aws(command: string, args: string[], credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
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
  return run(command, ["--endpoint-url", emulator.url, "--output", "json", ...args], { env: env as NodeJS.ProcessEnv, timeout: 60_000 });
}

// Each CLI call starts a Python process: seconds each on a loaded machine.
const CLI_TEST_TIMEOUT_MS = 120_000;

describe.skipIf(clis.length === 0).each(clis)("the AWS CLI ($version)", ({ command }) => {
  it("assumes the end-user role, then searches products and lists its provisioned products", async () => {
    const identity = JSON.parse((await aws(command, ["sts", "get-caller-identity"], BASE_CREDENTIALS)).stdout);
    expect(identity.Arn).toBe("arn:aws:iam::123456789012:user/quartermaster");

    const denied = await aws(command, ["servicecatalog", "search-products"], BASE_CREDENTIALS).catch((error: { stderr: string }) => error);
    expect((denied as { stderr: string }).stderr).toContain("AccessDeniedException");

    const assumed = JSON.parse((await aws(command, ["sts", "assume-role", "--role-arn", ENDUSER_ROLE, "--role-session-name", "cli-user"], BASE_CREDENTIALS)).stdout);
    const session = { accessKeyId: assumed.Credentials.AccessKeyId, secretAccessKey: assumed.Credentials.SecretAccessKey, sessionToken: assumed.Credentials.SessionToken };
    const products = JSON.parse((await aws(command, ["servicecatalog", "search-products"], session)).stdout);
    expect(products.ProductViewSummaries.map((p: { Name: string }) => p.Name)).toEqual(["EC2 Linux Instance", "S3 Private Encrypted Bucket", "S3 Synapse Bucket"]);
    const provisioned = JSON.parse((await aws(command, ["servicecatalog", "search-provisioned-products", "--access-level-filter", "Key=User,Value=Self"], session)).stdout);
    expect(provisioned.ProvisionedProducts).toEqual([]);
  }, CLI_TEST_TIMEOUT_MS);

  it("launches a bucket with parameters and tags, then reads its record and outputs", async () => {
    const session = await assume(emulator, `cli-launch-${command.length}`);
    const products = JSON.parse((await aws(command, ["servicecatalog", "search-products", "--filters", "FullTextSearch=Encrypted"], session.credentials)).stdout);
    const productId = products.ProductViewSummaries[0].ProductId as string;
    const artifacts = JSON.parse((await aws(command, ["servicecatalog", "describe-product", "--id", productId], session.credentials)).stdout);
    const artifactId = artifacts.ProvisioningArtifacts[0].Id as string;
    const parameters = JSON.parse(
      (await aws(command, ["servicecatalog", "describe-provisioning-parameters", "--product-id", productId, "--provisioning-artifact-id", artifactId], session.credentials)).stdout,
    );
    expect(parameters.ProvisioningArtifactParameters.map((p: { ParameterKey: string }) => p.ParameterKey)).toContain("S3UserARNs");

    const name = `cli-bucket-${command.length}`;
    const launched = JSON.parse(
      (
        await aws(
          command,
          [
            "servicecatalog", "provision-product",
            "--product-id", productId,
            "--provisioning-artifact-id", artifactId,
            "--provisioned-product-name", name,
            "--provisioning-parameters", "Key=RestrictSameRegionDownload,Value=false", `Key=OwnerPrincipalArn,Value=${session.arn}`,
            "--tags", "Key=CostCentre,Value=cli",
          ],
          session.credentials,
        )
      ).stdout,
    );
    expect(launched.RecordDetail.Status).toBe("CREATED");
    await waitForRecord(session.sc, launched.RecordDetail.RecordId);

    const record = JSON.parse((await aws(command, ["servicecatalog", "describe-record", "--id", launched.RecordDetail.RecordId], session.credentials)).stdout);
    expect(record.RecordDetail.Status).toBe("SUCCEEDED");
    expect(record.RecordDetail.ProvisionedProductName).toBe(name);
    const outputs = Object.fromEntries(record.RecordOutputs.map((o: { OutputKey: string; OutputValue: string }) => [o.OutputKey, o.OutputValue]));
    expect(outputs.BucketUrl).toBe(`https://s3.console.aws.amazon.com/s3/buckets/${outputs.BucketName}?region=us-east-1`);
    expect(record.RecordDetail.RecordTags).toEqual(expect.arrayContaining([{ Key: "CostCentre", Value: "cli" }]));
  }, CLI_TEST_TIMEOUT_MS);

  it("reads the catalog as an administrator (search-products-as-admin, list-portfolios, list-constraints-for-portfolio); an end user is refused", async () => {
    const admin = await assume(emulator, `cli-admin-${command.length}`, ADMIN_ROLE);
    const found = JSON.parse((await aws(command, ["servicecatalog", "search-products-as-admin"], admin.credentials)).stdout);
    expect(found.ProductViewDetails.map((d: { ProductViewSummary: { Name: string } }) => d.ProductViewSummary.Name)).toEqual(["EC2 Linux Instance", "S3 Private Encrypted Bucket", "S3 Synapse Bucket"]);
    const portfolios = JSON.parse((await aws(command, ["servicecatalog", "list-portfolios"], admin.credentials)).stdout);
    expect(portfolios.PortfolioDetails.map((p: { DisplayName: string }) => p.DisplayName)).toEqual(["Research Computing"]);
    const constraints = JSON.parse((await aws(command, ["servicecatalog", "list-constraints-for-portfolio", "--portfolio-id", portfolios.PortfolioDetails[0].Id], admin.credentials)).stdout);
    expect(constraints.ConstraintDetails.filter((c: { Type: string }) => c.Type === "RESOURCE_UPDATE")).toHaveLength(2);

    const user = await assume(emulator, `cli-enduser-${command.length}`);
    const denied = await aws(command, ["servicecatalog", "search-products-as-admin"], user.credentials).catch((error: { stderr: string }) => error);
    expect((denied as { stderr: string }).stderr).toContain("AccessDeniedException");
  }, CLI_TEST_TIMEOUT_MS);
});
