/**
 * Helpers for the integration tests of lib/services, lib/aws and lib/jobs: people who log in,
 * the emulator's view of AWS, launch requests for the catalog's products, and polling.
 * Everything from lib/ is imported lazily: settings are read on first use, after
 * `startPortalBackend()` has pointed process.env at the test database and emulator.
 */
import { ServiceCatalogClient, type ServiceCatalogClientConfig } from "@aws-sdk/client-service-catalog";
import { vi } from "vitest";
import type { User } from "@/generated/prisma/client";
import type { PortalBackend } from "./portal-backend";

export const ISSUER = "http://localhost:3001";

export type People = { alice: User; bob: User; admin: User };

/** alice and bob (researchers) and an admin, created the way a login creates them. */
export async function logInPeople(): Promise<People> {
  const { recordLogin } = await import("@/lib/services/users");
  const alice = await recordLogin({ issuer: ISSUER, subject: "alice", email: "alice@example.org", name: "Alice Liddell", department: "Neuroscience", project: "ADNI", groups: [] });
  const bob = await recordLogin({ issuer: ISSUER, subject: "bob", email: "bob@example.org", name: "Bob Builder", department: "Genomics", project: "TOPMed", groups: [] });
  const admin = await recordLogin({ issuer: ISSUER, subject: "admin", email: "admin@example.org", name: "Ada Admin", department: "Research IT", project: "Platform", groups: ["quartermaster-admins"] });
  return { alice, bob, admin };
}

/** The user as stored now (e.g. after the portal recorded their AWS principal). */
export async function reload(user: User): Promise<User> {
  const { db } = await import("@/lib/db");
  return db.user.findUniqueOrThrow({ where: { id: user.id } });
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns something other than undefined/false; fails after `timeoutMs`. */
/** The error a promise rejects with; throws when it resolves instead, so a test cannot pass on success. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { status: number; issues?: { path: string; message: string }[] }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error("expected a rejection");
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------- the emulator's view

export type Tag = { Key: string; Value: string };
export type EmulatorState = {
  sessions: { accessKeyId: string; arn: string; sourceIdentity?: string; tags: Tag[]; transitiveTagKeys?: string[]; expired: boolean }[];
  provisionedProducts: {
    Id: string;
    Name: string;
    Status: string;
    UserArn?: string;
    UserArnSession?: string;
    IdempotencyToken?: string;
    LastRecordId?: string;
    parameters: Record<string, string>;
    provisioningPrincipal: { arn: string; sourceIdentity?: string; sessionTags: Tag[] };
    outputs: { OutputKey: string; OutputValue: string }[];
    [key: string]: unknown;
  }[];
  records: { RecordId: string; RecordType: string; Status: string; ProvisionedProductId: string; callerArn: string; ownerArn: string }[];
  plans: unknown[];
  resources: {
    buckets: { name: string; tags: Tag[]; policy: unknown; principals: string[]; stackId: string | null; retained: boolean; encryption: string | null }[];
    instances: { instanceId: string; instanceType: string; volumeSize: number; state: string; tags: Tag[] }[];
  };
};

export async function emulatorState(backend: PortalBackend): Promise<EmulatorState> {
  return (await backend.control("state")) as EmulatorState;
}

export type CallReport = { total: number; byOperation: Record<string, number>; calls: { service: string; operation: string; caller: string; count: number; errors: number }[] };

export async function emulatorCalls(backend: PortalBackend): Promise<CallReport> {
  return (await backend.control("calls")) as CallReport;
}

/** How many times the operation reached the emulator ("servicecatalog:ProvisionProduct", "sts:AssumeRole"). */
export async function callCount(backend: PortalBackend, operation: string): Promise<number> {
  return (await emulatorCalls(backend)).byOperation[operation] ?? 0;
}

export async function resetCalls(backend: PortalBackend): Promise<void> {
  await backend.control("calls", { method: "DELETE" });
}

export function tagValue(tags: Tag[], key: string): string | undefined {
  return tags.find((t) => t.Key === key)?.Value;
}

// ---------------------------------------------------------------- the catalog

export const BUCKET = "S3 Private Encrypted Bucket";
export const EC2 = "EC2 Linux Instance";

export type CatalogIds = Record<string, { productId: string; versions: Record<string, string> }>;

/** Product and version ids by name, as alice's catalog shows them. */
export async function catalogIds(user: User): Promise<CatalogIds> {
  const { listCatalog, getProductDetail } = await import("@/lib/services/catalog");
  const ids: CatalogIds = {};
  for (const product of await listCatalog(user)) {
    const detail = await getProductDetail(user, product.productId);
    ids[product.name] = { productId: product.productId, versions: Object.fromEntries(detail.versions.map((v) => [v.name, v.id])) };
  }
  return ids;
}

let names = 0;
/** A provisioned product name no other test uses (AWS's rule: letters, digits, _ and -). */
export function uniqueName(prefix: string): string {
  names += 1;
  return `${prefix}-${Date.now().toString(36)}-${names}`;
}

export function bucketRequest(ids: CatalogIds, overrides: Record<string, unknown> = {}) {
  return {
    name: uniqueName("bucket"),
    productId: ids[BUCKET]!.productId,
    provisioningArtifactId: ids[BUCKET]!.versions["v1.0.0"]!,
    parameters: { BucketName: "", S3UserARNs: [] as string[], RestrictSameRegionDownload: "true" },
    tags: [] as { key: string; value: string }[],
    ...overrides,
  };
}

export function instanceRequest(ids: CatalogIds, overrides: Record<string, unknown> = {}) {
  return {
    name: uniqueName("instance"),
    productId: ids[EC2]!.productId,
    provisioningArtifactId: ids[EC2]!.versions["v1.1.0"]!,
    parameters: { EC2InstanceType: "t3a.small", VolumeSize: "40", AMI: "AmazonLinuxDocker" },
    tags: [] as { key: string; value: string }[],
    tagOptions: { Schedule: "office-hours" },
    ...overrides,
  };
}

// ---------------------------------------------------------------- the portal's records

/** The portal's own record rows of a product, oldest first. */
export async function recordRows(productRowId: string) {
  const { db } = await import("@/lib/db");
  return db.provisioningRecord.findMany({ where: { provisionedProductId: productRowId }, orderBy: { createdAt: "asc" } });
}

/** Drives `trackRecord` (as the job would) until the record is final. */
export async function trackUntilFinal(recordRowId: string, timeoutMs = 10_000): Promise<void> {
  const { trackRecord } = await import("@/lib/services/tracking");
  await waitFor(`record ${recordRowId} to finish`, async () => (await trackRecord(recordRowId)) === "final", { timeoutMs, intervalMs: 50 });
}

/** Tracks the product's latest record to the end and returns the product row. */
export async function settle(productRowId: string) {
  const { db } = await import("@/lib/db");
  const rows = await recordRows(productRowId);
  const latest = rows.at(-1);
  if (!latest) throw new Error(`product ${productRowId} has no record`);
  await trackUntilFinal(latest.id);
  return db.provisionedProduct.findUniqueOrThrow({ where: { id: productRowId } });
}

// ---------------------------------------------------------------- acting in AWS directly

/** A Service Catalog client with the user's own session, for doing things "outside the portal". */
export async function serviceCatalogAs(user: User, backend: PortalBackend, extra: Partial<ServiceCatalogClientConfig> = {}): Promise<ServiceCatalogClient> {
  const { sessionFor } = await import("@/lib/aws/sessions");
  const { identityOf } = await import("@/lib/services/identity");
  const session = await sessionFor(identityOf(user));
  return new ServiceCatalogClient({ region: "us-east-1", endpoint: backend.emulatorUrl, credentials: session.credentials, maxAttempts: 1, ...extra });
}

type SentCommand = { name: string; input: Record<string, unknown> };

/**
 * Records every Service Catalog command the portal sends (name and input), and lets a test step in
 * before a command goes out (`before`) or instead of it (`instead`). Restored by `restore()`.
 */
export function watchServiceCatalog(hooks: { before?: (command: SentCommand) => Promise<void> | void; instead?: (command: SentCommand, send: () => Promise<unknown>) => Promise<unknown> | undefined } = {}) {
  const sent: SentCommand[] = [];
  const original = ServiceCatalogClient.prototype.send;
  const spy = vi.spyOn(ServiceCatalogClient.prototype, "send").mockImplementation(async function (this: ServiceCatalogClient, ...args: unknown[]) {
    const command = args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    const entry = { name: command.constructor.name.replace(/Command$/, ""), input: command.input };
    sent.push(entry);
    const send = () => (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    await hooks.before?.(entry);
    const replaced = hooks.instead?.(entry, send);
    if (replaced !== undefined) return replaced;
    return send();
  } as never);
  return { sent, of: (name: string) => sent.filter((c) => c.name === name), restore: () => spy.mockRestore() };
}

// ---------------------------------------------------------------- a catalog of the test's own

/**
 * A copy of catalog/ with more products in the first portfolio (templates from test/fixtures), for
 * `startPortalBackend(timings, { catalogDir })`.
 */
export async function catalogWith(extra: { key: string; name: string; template: string; tagUpdates?: "ALLOWED" }[]): Promise<string> {
  const { cp, mkdtemp, readFile, writeFile } = await import("node:fs/promises");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-catalog-"));
  await cp("catalog", dir, { recursive: true });
  const file = path.join(dir, "catalog.json");
  const catalog = JSON.parse(await readFile(file, "utf8")) as {
    portfolios: { products: string[]; constraints?: unknown[] }[];
    products: unknown[];
  };
  for (const product of extra) {
    await cp(path.join("test/fixtures", product.template), path.join(dir, product.template));
    catalog.products.push({
      key: product.key,
      name: product.name,
      owner: "Tests",
      distributor: "Tests",
      shortDescription: `${product.name} (a test fixture).`,
      createdTime: "2026-01-01T00:00:00Z",
      versions: [{ name: "v1.0.0", description: "Test fixture.", template: product.template, createdTime: "2026-01-01T00:00:00Z" }],
    });
    catalog.portfolios[0]!.products.push(product.key);
    if (product.tagUpdates) {
      (catalog.portfolios[0]!.constraints ??= []).push({ type: "RESOURCE_UPDATE", product: product.key, description: "Test fixture.", tagUpdateOnProvisionedProduct: product.tagUpdates });
    }
  }
  await writeFile(file, JSON.stringify(catalog, null, 2));
  return dir;
}
