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
});
