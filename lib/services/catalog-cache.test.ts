/**
 * The catalog cache as a storm of launches meets it: several requests for the same form at once
 * ask AWS once; a refusal is not remembered. Against the emulator over HTTP, counting its calls.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { BUCKET, callCount, catalogIds, logInPeople, resetCalls, type CatalogIds, type People } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;

beforeAll(async () => {
  backend = await startPortalBackend();
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

it("four launches' forms asked at once make one DescribeProvisioningParameters call, and later ones none", async () => {
  const { getProvisioningForm } = await import("@/lib/services/catalog");
  const bucket = ids[BUCKET]!;
  const artifactId = Object.values(bucket.versions)[0]!;
  await resetCalls(backend);
  const forms = await Promise.all(Array.from({ length: 4 }, () => getProvisioningForm(people.bob, { productId: bucket.productId, artifactId })));
  expect(forms.every((f) => f.parameters.length > 0 && f === forms[0])).toBe(true);
  expect(await callCount(backend, "servicecatalog:DescribeProvisioningParameters")).toBe(1);
  await getProvisioningForm(people.bob, { productId: bucket.productId, artifactId });
  expect(await callCount(backend, "servicecatalog:DescribeProvisioningParameters")).toBe(1);
  // Per person: what one may see says nothing about another.
  await getProvisioningForm(people.alice, { productId: bucket.productId, artifactId });
  expect(await callCount(backend, "servicecatalog:DescribeProvisioningParameters")).toBe(2);
});

it("a product AWS does not show is asked about again next time, not remembered as missing", async () => {
  const { getProductDetail } = await import("@/lib/services/catalog");
  await resetCalls(backend);
  const missing = "prod-aaaaaaaaaaaaa";
  await expect(getProductDetail(people.bob, missing)).rejects.toMatchObject({ status: 404 });
  await expect(getProductDetail(people.bob, missing)).rejects.toMatchObject({ status: 404 });
  expect(await callCount(backend, "servicecatalog:DescribeProduct")).toBe(2);
});
