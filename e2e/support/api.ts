/**
 * Talking to the portal's API and the emulator from the tests: writes carry what the portal's own
 * pages send (same origin, JSON), and the emulator's counters say which AWS calls people caused.
 */
import { expect, type APIRequestContext } from "@playwright/test";
import { baseURL, emulatorUrl } from "./ports";

/** Headers of a write from the portal's own pages (fetch in the browser adds Sec-Fetch-Site too). */
export const sameOrigin = { origin: baseURL, "content-type": "application/json" } as const;

export type CallReport = { total: number; byOperation: Record<string, number>; calls: { service: string; operation: string; caller: string; count: number }[] };

/** Background reconciliation acts as the portal's own system identity; people's requests never do. */
const isBackground = (caller: string) => caller.includes("quartermaster-system");

/**
 * What people's requests made AWS do so far: Service Catalog calls by anyone but the
 * reconciliation's identity, and STS sessions issued (each AssumeRole for a person).
 */
export async function awsActivity(request: APIRequestContext): Promise<{ calls: number; sessions: number }> {
  const calls = (await (await request.get(`${emulatorUrl}/_emulator/calls`)).json()) as CallReport;
  const state = (await (await request.get(`${emulatorUrl}/_emulator/state`)).json()) as { sessions: { sourceIdentity?: string }[] };
  return {
    calls: calls.calls.filter((c) => c.service !== "sts" && !isBackground(c.caller)).reduce((n, c) => n + c.count, 0),
    sessions: state.sessions.filter((s) => !isBackground(s.sourceIdentity ?? "")).length,
  };
}

/** Launches a bucket through the API as the signed-in user of `request` and waits until it is AVAILABLE. */
export async function launchBucket(request: APIRequestContext, name: string): Promise<{ id: string; name: string; productId: string; versionId: string }> {
  const catalog = (await (await request.get("/api/catalog")).json()) as { products: { productId: string; name: string }[] };
  const bucket = catalog.products.find((p) => p.name === "S3 Private Encrypted Bucket")!;
  const detail = (await (await request.get(`/api/catalog/${bucket.productId}`)).json()) as { defaultVersionId: string; launchPaths: { id: string }[] };
  const launched = await request.post("/api/products", {
    headers: sameOrigin,
    data: {
      name,
      productId: bucket.productId,
      provisioningArtifactId: detail.defaultVersionId,
      pathId: detail.launchPaths[0]?.id,
      parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" },
      tags: [],
      tagOptions: { ManagedBy: "Quartermaster" },
    },
  });
  expect(launched.status(), await launched.text()).toBe(201);
  const product = (await launched.json()) as { id: string; name: string; productId: string; versionId: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/products/${product.id}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("AVAILABLE");
  return product;
}

/** Every product of the signed-in user of `request` (My products' API, page after page). */
export async function myProducts(request: APIRequestContext, query = ""): Promise<{ id: string; name: string; status: string }[]> {
  const all: { id: string; name: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    params.set("limit", "100");
    if (cursor) params.set("cursor", cursor);
    const response = await request.get(`/api/products?${params}`);
    expect(response.status(), await response.text()).toBe(200);
    const page = (await response.json()) as { items: { id: string; name: string; status: string }[]; nextCursor: string | null };
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
