import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { logInPeople, type People } from "@/test/support/portal-fixtures";

// The database itself keeps live names unique regardless of case, so two racing launches
// ("Data" and "data") cannot both be written, whatever the checks before them saw.
let backend: PortalBackend;
let people: People;

beforeAll(async () => {
  backend = await startPortalBackend();
  people = await logInPeople();
});
afterAll(async () => backend?.close());

async function insertRow(name: string, ownerId: string) {
  const { db } = await import("@/lib/db");
  return db.provisionedProduct.create({
    data: { ownerId, name, productId: "prod-x", productName: "X", provisioningArtifactId: "pa-x", provisioningArtifactName: "v1", provisionToken: `token-${name}-${Math.random()}` },
  });
}

describe("live product names", () => {
  it("refuses a second live product whose name differs only in case, and frees the name on termination", async () => {
    const { db } = await import("@/lib/db");
    const first = await insertRow("Shared-Data", people.alice.id);
    await expect(insertRow("shared-data", people.bob.id)).rejects.toMatchObject({ code: "P2002" });

    await db.provisionedProduct.update({ where: { id: first.id }, data: { status: "TERMINATED", terminatedAt: new Date() } });
    await expect(insertRow("shared-data", people.bob.id)).resolves.toMatchObject({ name: "shared-data" });
  });

  it("says a taken name is taken whatever its case", async () => {
    const { isNameAvailable } = await import("@/lib/services/products");
    await insertRow("Genome-Store", people.alice.id);
    expect(await isNameAvailable("genome-store")).toBe(false);
    expect(await isNameAvailable("genome-store-2")).toBe(true);
  });

  it("a launch AWS refused (ERROR, nothing created there) frees its name; a product AWS holds in ERROR keeps it", async () => {
    const { db } = await import("@/lib/db");
    const { isNameAvailable } = await import("@/lib/services/products");
    const refused = await insertRow("Refused-Launch", people.alice.id);
    await db.provisionedProduct.update({ where: { id: refused.id }, data: { status: "ERROR" } });
    expect(await isNameAvailable("refused-launch")).toBe(true);
    await expect(insertRow("refused-launch", people.alice.id)).resolves.toMatchObject({ name: "refused-launch" });

    const failedInAws = await insertRow("Failed-In-Aws", people.alice.id);
    await db.provisionedProduct.update({ where: { id: failedInAws.id }, data: { status: "ERROR", awsProvisionedProductId: "pp-failedinaws01" } });
    expect(await isNameAvailable("failed-in-aws")).toBe(false);
    await expect(insertRow("failed-in-aws", people.bob.id)).rejects.toMatchObject({ code: "P2002" });
  });
});
