/**
 * `npm run bench`: numbers for the paths people wait on. Prints a table; asserts nothing.
 *
 * - validating a launch request with the schema generated from a product's parameters (this runs
 *   on every keystroke-submit in the browser and on every launch on the server);
 * - "My products" from the database for a user with 1,000 products (every page view and every
 *   2-second poll while something is in progress);
 * - a user's AWS session: cached vs a fresh AssumeRole; concurrent callers sharing one;
 * - a launch through the services against the local emulator (row + ProvisionProduct + record);
 * - memory of the process afterwards.
 * Uses DATABASE_URL's server when set, otherwise an embedded PostgreSQL; always the local emulator.
 */
import pg from "pg";
import { randomBytes } from "node:crypto";
import { measure, memory, report, type Sample } from "./measure";
import { processEnvironment } from "../lib/env";
import { applyMigrations } from "../lib/db/migrate";
import { startEmbeddedTestPostgres } from "../test/support/embedded-postgres";
import { startEmulator } from "../emulator/server";
import { provisionRequestSchema } from "../lib/domain/provision-request";
import type { ProvisioningParameter } from "../lib/domain/parameters";

const ec2Parameters: ProvisioningParameter[] = [
  { key: "EC2InstanceType", type: "String", defaultValue: "t3a.small", noEcho: false, constraints: { allowedValues: ["t3a.small", "t3a.medium", "t3a.large", "m6a.large", "m6a.xlarge", "r6a.large", "c6a.large"] } },
  { key: "VolumeSize", type: "Number", defaultValue: "30", noEcho: false, constraints: { minValue: 30, maxValue: 5000 } },
  { key: "AMI", type: "String", defaultValue: "AmazonLinuxDocker", noEcho: false, constraints: { allowedValues: ["AmazonLinuxDocker"] } },
  { key: "S3UserARNs", type: "CommaDelimitedList", defaultValue: "", noEcho: false, description: "Principals granted access", constraints: {} },
];

async function main() {
  const samples: Sample[] = [];
  memory("start");

  // 1. Pure validation.
  const reservedKeys = ["OwnerEmail", "Department", "Project"];
  const metadata = { labels: {}, groups: [] };
  const schema = provisionRequestSchema({ parameters: ec2Parameters, metadata, tagOptions: [{ key: "Schedule", values: ["office-hours", "always-on"] }] }, { reservedKeys, mode: "launch", ownerBoundKeys: [] });
  const body = {
    name: "bench-instance",
    productId: "prod-abcdefghijklm",
    provisioningArtifactId: "pa-abcdefghijklm",
    parameters: { EC2InstanceType: "m6a.large", VolumeSize: "100", AMI: "AmazonLinuxDocker", S3UserARNs: ["arn:aws:iam::123456789012:role/Analyst"] },
    tags: Array.from({ length: 20 }, (_, i) => ({ key: `Key${i}`, value: `value ${i}` })),
    tagOptions: { Schedule: "office-hours" },
  };
  samples.push(await measure("validate launch request (20 tags, 4 parameters)", 5000, () => schema.safeParse(body)));
  samples.push(
    await measure("generate schema from parameters", 2000, () =>
      provisionRequestSchema({ parameters: ec2Parameters, metadata, tagOptions: [] }, { reservedKeys, mode: "launch", ownerBoundKeys: [] }),
    ),
  );

  // 2. Database and emulator.
  const external = processEnvironment().DATABASE_URL?.trim();
  const embedded = external ? undefined : await startEmbeddedTestPostgres();
  const serverUrl = external ?? embedded!.url;
  const dbName = `qm_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  await applyMigrations({ connectionString: url.toString(), log: () => {} });
  const emulator = await startEmulator({ port: 0, timings: { provisionMs: 100, updateMs: 100, terminateMs: 100 } });
  Object.assign(process.env, {
    QUARTERMASTER_MODE: "local",
    DATABASE_URL: url.toString(),
    OIDC_ISSUER: "http://localhost:3001",
    OIDC_CLIENT_SECRET: "bench",
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret",
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_EC2_METADATA_DISABLED: "true",
    LOG_LEVEL: "silent",
    JOBS_ENABLED: "false",
    // The bench times the launch path itself; the per-person limit (10 a minute) would refuse it.
    RATE_LIMIT_LAUNCHES_PER_MINUTE: "100000",
  });

  try {
    const { db } = await import("../lib/db");
    const { recordLogin } = await import("../lib/services/users");
    const { listMyProducts } = await import("../lib/services/products");
    const { sessionFor, forgetSession } = await import("../lib/aws/sessions");
    const { listCatalog, getProductDetail } = await import("../lib/services/catalog");
    const { launchProduct } = await import("../lib/services/provisioning");

    const alice = await recordLogin({ issuer: "bench", subject: "alice", email: "alice@example.org", name: "Alice", department: "Neuroscience", project: "ADNI", groups: [] });
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      ownerId: alice.id,
      name: `bench-${i}`,
      productId: "prod-x",
      productName: "S3 Private Encrypted Bucket",
      provisioningArtifactId: "pa-x",
      provisioningArtifactName: "v1.0.0",
      status: i % 10 === 0 ? ("UNDER_CHANGE" as const) : ("AVAILABLE" as const),
      provisionToken: `bench-${i}`,
      parameters: { BucketName: `bench-${i}`, S3UserARNs: [], RestrictSameRegionDownload: "true" },
      tags: [{ key: "OwnerEmail", value: "alice@example.org" }],
    }));
    await db.provisionedProduct.createMany({ data: rows });
    samples.push(await measure("My products: 1,000 rows from PostgreSQL", 200, () => listMyProducts(alice)));

    const identity = { email: alice.email, department: alice.department, project: alice.project };
    samples.push(
      await measure("AWS session: fresh AssumeRole (emulator)", 50, async () => {
        forgetSession(identity);
        await sessionFor(identity);
      }),
    );
    samples.push(await measure("AWS session: cached", 5000, () => sessionFor(identity)));
    samples.push(
      await measure("AWS session: 20 concurrent callers, cold", 20, async () => {
        forgetSession(identity);
        await Promise.all(Array.from({ length: 20 }, () => sessionFor(identity)));
      }),
    );

    const bob = await recordLogin({ issuer: "bench", subject: "bob", email: "bob@example.org", name: "Bob", department: "Genomics", project: "TOPMed", groups: [] });
    const catalog = await listCatalog(bob);
    const bucket = catalog.find((p) => p.name === "S3 Private Encrypted Bucket");
    if (!bucket) throw new Error("the emulator's catalog has no S3 Private Encrypted Bucket");
    const detail = await getProductDetail(bob, bucket.productId);
    samples.push(
      await measure(
        "launch a bucket through the services (DB + ProvisionProduct)",
        30,
        (i) =>
          launchProduct(
            { user: bob },
            {
              name: `bob-bench-${i}-${Date.now()}`,
              productId: bucket.productId,
              provisioningArtifactId: detail.defaultVersionId,
              parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" },
              tags: [],
              tagOptions: { ManagedBy: "Quartermaster" },
            },
          ),
        3,
      ),
    );

    report(samples);
    memory("end");
    await db.$disconnect();
  } finally {
    await emulator.close();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
