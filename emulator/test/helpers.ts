import { AssumeRoleCommand, STSClient, type Tag } from "@aws-sdk/client-sts";
import { DescribeRecordCommand, SearchProductsCommand, ServiceCatalogClient, type RecordDetail } from "@aws-sdk/client-service-catalog";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../server";

// Never let an SDK client near the instance metadata service.
process.env.AWS_EC2_METADATA_DISABLED = "true";

export const BASE_CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
export const ENDUSER_ROLE = "arn:aws:iam::123456789012:role/ServiceCatalogEndusers";
export const ADMIN_ROLE = "arn:aws:iam::123456789012:role/ServiceCatalogAdmins";
export const FAST = { provisionMs: 60, updateMs: 60, terminateMs: 60 };

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, timings: FAST, ...options });
}

export function stsClient(emulator: RunningEmulator, credentials: Credentials = BASE_CREDENTIALS, extra: { maxAttempts?: number } = {}): STSClient {
  return new STSClient({ region: "us-east-1", endpoint: emulator.url, credentials, maxAttempts: extra.maxAttempts ?? 1 });
}

export function scClient(emulator: RunningEmulator, credentials: Credentials, extra: { maxAttempts?: number; retryMode?: "standard" | "adaptive" } = {}): ServiceCatalogClient {
  return new ServiceCatalogClient({ region: "us-east-1", endpoint: emulator.url, credentials, maxAttempts: extra.maxAttempts ?? 1, ...(extra.retryMode ? { retryMode: extra.retryMode } : {}) });
}

export type Session = { credentials: Credentials; arn: string; sc: ServiceCatalogClient };

export async function assume(emulator: RunningEmulator, sessionName: string, role = ENDUSER_ROLE, tags: Tag[] = []): Promise<Session> {
  const result = await stsClient(emulator).send(
    new AssumeRoleCommand({ RoleArn: role, RoleSessionName: sessionName, SourceIdentity: `${sessionName}@example.org`, ...(tags.length ? { Tags: tags } : {}) }),
  );
  const c = result.Credentials!;
  const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  return { credentials, arn: result.AssumedRoleUser!.Arn!, sc: scClient(emulator, credentials) };
}

export async function productsByName(sc: ServiceCatalogClient): Promise<Record<string, string>> {
  const result = await sc.send(new SearchProductsCommand({}));
  return Object.fromEntries((result.ProductViewSummaries ?? []).map((p) => [p.Name!, p.ProductId!]));
}

/** Polls DescribeRecord until the record is final. */
export async function waitForRecord(sc: ServiceCatalogClient, recordId: string, timeoutMs = 5000): Promise<RecordDetail & { outputs: Record<string, string> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await sc.send(new DescribeRecordCommand({ Id: recordId }));
    const status = result.RecordDetail!.Status;
    if (status === "SUCCEEDED" || status === "FAILED") {
      return { ...result.RecordDetail!, outputs: Object.fromEntries((result.RecordOutputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
    }
    if (Date.now() > deadline) throw new Error(`record ${recordId} still ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function control<T = any>(emulator: RunningEmulator, method: string, path: string, body?: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  if (!response.ok) throw new Error(`${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The rejection of a promise, for asserting on the SDK's typed exceptions. */
export async function failure(promise: Promise<unknown>): Promise<Error & { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error("expected the call to fail");
}
