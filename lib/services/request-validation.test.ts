/**
 * One validation path: the server checks a launch or update with the schema and options the form
 * uses, checks ids and sizes before any AWS call, and derives its idempotency tokens so that
 * nobody holding AWS credentials can predict them. Against PostgreSQL and the emulator over HTTP.
 */
import { createHash } from "node:crypto";
import { ProvisionProductCommand } from "@aws-sdk/client-service-catalog";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import {
  catalogIds,
  emulatorCalls,
  emulatorState,
  EC2,
  instanceRequest,
  logInPeople,
  resetCalls,
  serviceCatalogAs,
  settle,
  uniqueName,
  watchServiceCatalog,
  rejection,
  type CatalogIds,
  type People,
} from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let services: {
  provisioning: typeof import("@/lib/services/provisioning");
  products: typeof import("@/lib/services/products");
  catalog: typeof import("@/lib/services/catalog");
  db: typeof import("@/lib/db").db;
};

beforeAll(async () => {
  backend = await startPortalBackend();
  services = {
    provisioning: await import("@/lib/services/provisioning"),
    products: await import("@/lib/services/products"),
    catalog: await import("@/lib/services/catalog"),
    db: (await import("@/lib/db")).db,
  };
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

const as = (user: People["alice"]) => ({ user, requestId: "test" });

/** An instance of v1.2.0, the version with the NoEcho JupyterLab password. */
function jupyterRequest(password: string) {
  return instanceRequest(ids, {
    provisioningArtifactId: ids[EC2]!.versions["v1.2.0"]!,
    parameters: { EC2InstanceType: "t3a.small", VolumeSize: "40", AMI: "AmazonLinuxDocker", JupyterPassword: password },
  });
}

type Secret = { type: string; properties: { SecretString?: string } };
async function jupyterSecrets(): Promise<string[]> {
  const state = (await emulatorState(backend)) as unknown as { resources: { other: Record<string, Secret> } };
  return Object.values(state.resources.other)
    .filter((r) => r.type === "AWS::SecretsManager::Secret")
    .map((r) => r.properties.SecretString ?? "");
}

describe("updating a product with a NoEcho parameter", () => {
  let watch: ReturnType<typeof watchServiceCatalog> | undefined;
  afterEach(() => watch?.restore());

  it("keeps the secret when the field is left blank or the mask comes back, and never stores it", async () => {
    const { alice } = people;
    const request = jupyterRequest("correct-horse-battery");
    const launched = await services.provisioning.launchProduct(as(alice), request);
    expect(launched.parameters).toMatchObject({ JupyterPassword: "****" });
    await settle(launched.id);
    expect(await jupyterSecrets()).toContain("correct-horse-battery");

    // The form sends the field blank (it cannot show the secret); an API client may echo the mask.
    for (const kept of ["", "****"]) {
      watch = watchServiceCatalog();
      const volume = kept === "" ? "50" : "60";
      await services.provisioning.updateProduct(as(alice), launched.id, { ...request, parameters: { ...request.parameters, VolumeSize: volume, JupyterPassword: kept } });
      const sent = watch.of("UpdateProvisionedProduct")[0]!.input.ProvisioningParameters;
      expect(sent).toEqual(expect.arrayContaining([{ Key: "JupyterPassword", UsePreviousValue: true }, { Key: "VolumeSize", Value: volume }]));
      watch.restore();
      await settle(launched.id);
    }
    expect(await jupyterSecrets()).toContain("correct-horse-battery");

    // A new password is sent once and stored only as the mask.
    await services.provisioning.updateProduct(as(alice), launched.id, { ...request, parameters: { ...request.parameters, VolumeSize: "60", JupyterPassword: "staple-tree-oak-7" } });
    const after = await settle(launched.id);
    expect(await jupyterSecrets()).toContain("staple-tree-oak-7");
    expect(JSON.stringify(after)).not.toContain("staple-tree-oak-7");
    const records = await services.db.provisioningRecord.findMany({ where: { provisionedProductId: launched.id } });
    expect(JSON.stringify(records)).not.toMatch(/staple-tree|correct-horse/);
  });

  it("names fields by the template's labels, as the form does", async () => {
    const { alice } = people;
    const request = jupyterRequest("");
    const launched = await services.provisioning.launchProduct(as(alice), request);
    await settle(launched.id);
    const refused = await rejection(services.provisioning.updateProduct(as(alice), launched.id, { ...request, parameters: { ...request.parameters, JupyterPassword: "short", VolumeSize: "10" } }));
    expect(refused.status).toBe(422);
    expect(refused.issues).toEqual([
      { path: "parameters.VolumeSize", message: "Disk size (GiB): must be a whole number of GiB from 30 to 5000." },
      { path: "parameters.JupyterPassword", message: "JupyterLab password: must be empty (no JupyterLab) or 12 to 64 characters without spaces." },
    ]);
  });
});

describe("an update keeps what identifies the product", () => {
  it("refuses another launch path, another product, a rename, a version the product lacks and a move to a deprecated version, before any AWS change", async () => {
    const { alice } = people;
    const [path] = (await services.catalog.getProductDetail(alice, ids[EC2]!.productId)).launchPaths;
    const request = instanceRequest(ids, { pathId: path!.id });
    const launched = await services.provisioning.launchProduct(as(alice), request);
    expect(launched.pathId).toBe(path!.id);
    await settle(launched.id);
    const change = { provisioningArtifactId: request.provisioningArtifactId, parameters: { ...request.parameters, VolumeSize: "80" }, tagOptions: request.tagOptions };
    const otherPath = path!.id.replace(/.$/, (c) => (c === "a" ? "b" : "a"));

    const watch = watchServiceCatalog();
    try {
      const cases: [unknown, string, RegExp][] = [
        [{ ...change, pathId: otherPath }, "pathId", /launch path of a product cannot change/],
        [{ ...change, pathId: "" }, "pathId", /launch path of a product cannot change/],
        [{ ...change, productId: ids["S3 Private Encrypted Bucket"]!.productId }, "productId", /cannot turn a product into another/],
        [{ ...change, name: "renamed" }, "name", /cannot be renamed/],
        [{ ...change, provisioningArtifactId: "pa-zzzzzzzzzzzzz" }, "provisioningArtifactId", /does not exist for this product/],
        [{ ...change, provisioningArtifactId: ids[EC2]!.versions["v1.0.0"] }, "provisioningArtifactId", /v1\.0\.0 is deprecated: a product can stay on a deprecated version but not move to one/],
      ];
      for (const [body, path, message] of cases) {
        const refused = await rejection(services.provisioning.updateProduct(as(alice), launched.id, body));
        expect(refused.status, path).toBe(422);
        expect(refused.issues?.[0]).toMatchObject({ path, message: expect.stringMatching(message) });
      }
      // The same launch path as stored is fine; AWS gets the stored one.
      await services.provisioning.updateProduct(as(alice), launched.id, { ...change, pathId: path!.id });
      expect(watch.of("UpdateProvisionedProduct")).toHaveLength(1);
      expect(watch.of("UpdateProvisionedProduct")[0]!.input.PathId).toBe(path!.id);
      expect(watch.of("CreateProvisionedProductPlan")).toHaveLength(0);
    } finally {
      watch.restore();
    }
    await settle(launched.id);
  });
});

describe("ids are checked before anything else", () => {
  it("refuses forged product, version and launch path ids with 422 and no AWS call, and never echoes a huge id", async () => {
    const { alice } = people;
    const valid = instanceRequest(ids);
    // Warm the caches a valid request uses, so that only the forged ids are under test.
    await services.catalog.getProductDetail(alice, valid.productId);
    await resetCalls(backend);
    const forged = ["prod-<script>", "../../x", `prod-${"a".repeat(100_000)}`, "prod-abc\u0000defghijkl", "PROD-ABCDEFGHIJKLM", ""];
    for (const id of forged) {
      for (const field of ["productId", "provisioningArtifactId", "pathId"] as const) {
        if (id === "" && field === "pathId") continue; // an empty launch path means "the default one"
        const refused = await rejection(services.provisioning.launchProduct(as(alice), { ...valid, name: uniqueName("forged"), [field]: id }));
        expect(refused.status, `${field}=${id.slice(0, 20)}`).toBe(422);
        expect(refused.issues?.[0]?.path).toBe(field);
        expect(refused.message.length).toBeLessThan(200);
      }
    }
    expect((await emulatorCalls(backend)).total).toBe(0);
    // The catalog reads refuse them too (pages call these).
    expect((await rejection(services.catalog.getProductDetail(alice, "../../x"))).status).toBe(404);
    expect((await rejection(services.catalog.getProvisioningForm(alice, { productId: valid.productId, artifactId: "pa-<b>" }))).status).toBe(404);
    expect((await emulatorCalls(backend)).total).toBe(0);
    expect(await services.db.provisionedProduct.count({ where: { name: { startsWith: "forged" } } })).toBe(0);
  });

  it("a product row id that is not a UUID is a 404 without a database error", async () => {
    for (const id of ["000000000000000000000000000000000000", "../../etc/passwd", "x".repeat(10_000)]) {
      expect((await rejection(services.products.findVisibleProduct(people.alice, id))).status).toBe(404);
    }
  });
});

describe("idempotency tokens", () => {
  let watch: ReturnType<typeof watchServiceCatalog> | undefined;
  afterEach(() => watch?.restore());

  it("cannot be predicted from the row id, so a pending launch cannot be pre-empted by someone with AWS credentials", async () => {
    const { alice } = people;
    const request = instanceRequest(ids);
    const sc = await serviceCatalogAs(alice, backend);
    let preempted = false;
    let guessed = "";
    watch = watchServiceCatalog({
      // The row is written before ProvisionProduct goes out. Alice, with her own AWS session (CLI
      // access), sends a launch first with the token she can compute from the row id (its
      // URL), choosing her own parameters.
      before: async (command) => {
        if (command.name !== "ProvisionProduct" || preempted) return;
        preempted = true;
        const row = await services.db.provisionedProduct.findFirstOrThrow({ where: { name: request.name } });
        guessed = `provision-${createHash("sha256").update(row.id).digest("hex").slice(0, 40)}`;
        await sc.send(
          new ProvisionProductCommand({
            ProductId: request.productId,
            ProvisioningArtifactId: request.provisioningArtifactId,
            ProvisionedProductName: uniqueName("preempt"),
            ProvisionToken: guessed,
            ProvisioningParameters: [
              { Key: "EC2InstanceType", Value: "c6a.4xlarge" },
              { Key: "VolumeSize", Value: "5000" },
              { Key: "AMI", Value: "AmazonLinuxDocker" },
            ],
            Tags: [{ Key: "Schedule", Value: "always-on" }],
          }),
        );
      },
    });
    const launched = await services.provisioning.launchProduct(as(alice), request);
    watch.restore();
    expect(preempted).toBe(true);
    // The portal's call is recorded first; Alice's (sent from inside it) second.
    const portalToken = watch.of("ProvisionProduct")[0]!.input.ProvisionToken as string;
    expect(portalToken).toMatch(/^provision-[0-9a-f]{40}$/);
    expect(portalToken).not.toBe(guessed);

    // The portal's product is the one it asked for, not the one sent first with the guessed token.
    const settled = await settle(launched.id);
    const inAws = (await emulatorState(backend)).provisionedProducts.find((p) => p.Id === settled.awsProvisionedProductId)!;
    expect(inAws.Name).toBe(request.name);
    expect(inAws.parameters).toMatchObject({ EC2InstanceType: "t3a.small", VolumeSize: "40" });
  });
});

describe("the owner's principal", () => {
  it("computed from the session name is exactly the ARN of the person's real AWS session", async () => {
    const { principalArnOf } = await import("@/lib/services/identity");
    const { sessionFor } = await import("@/lib/aws/sessions");
    const { identityOf } = await import("@/lib/services/identity");
    for (const person of [people.alice, people.bob, people.admin]) {
      expect(principalArnOf(person)).toBe((await sessionFor(identityOf(person))).principalArn);
    }
  });
});
