/**
 * AWS misbehaving while people launch, update and terminate: throttling and HTTP 500 from STS
 * (the person's AssumeRole) and from Service Catalog, injected by the emulator over HTTP. Either
 * the action completes (the SDK retries), or the person is told plainly what happened and what to
 * do; never a second product in AWS or a second row. Then records that fail in AWS itself.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { bucketRequest, catalogIds, emulatorCalls, emulatorState, logInPeople, recordRows, settle, rejection, type CatalogIds, type People } from "@/test/support/portal-fixtures";
import type { ProvisionedProduct } from "@/generated/prisma/client";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let services: {
  provisioning: typeof import("@/lib/services/provisioning");
  products: typeof import("@/lib/services/products");
  catalog: typeof import("@/lib/services/catalog");
  reconcile: typeof import("@/lib/services/reconcile").reconcile;
  handleApiError: typeof import("@/lib/api/handle-error").handleApiError;
  db: typeof import("@/lib/db").db;
};

beforeAll(async () => {
  backend = await startPortalBackend();
  services = {
    provisioning: await import("@/lib/services/provisioning"),
    products: await import("@/lib/services/products"),
    catalog: await import("@/lib/services/catalog"),
    reconcile: (await import("@/lib/services/reconcile")).reconcile,
    handleApiError: (await import("@/lib/api/handle-error")).handleApiError,
    db: (await import("@/lib/db")).db,
  };
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterEach(async () => {
  await backend.control("faults", { method: "DELETE" });
});

afterAll(async () => {
  await backend?.close();
});

const as = (user: People["alice"]) => ({ user, requestId: "test" });
const inject = (faults: Record<string, unknown>) => backend.control("faults", { method: "POST", body: JSON.stringify(faults) });

type Action = "launch" | "update" | "terminate";
const ACTIONS: Action[] = ["launch", "update", "terminate"];
const OPERATION: Record<Action, string> = { launch: "ProvisionProduct", update: "UpdateProvisionedProduct", terminate: "TerminateProvisionedProduct" };

/** An action ready to run by `alice` (or whoever is given), its product launched first for update and terminate, and how to tell what it did. */
async function prepare(action: Action, alice: People["alice"] = people.alice) {
  const request = bucketRequest(ids);
  // What the action needs from the catalog is loaded beforehand (as the form page does), so that
  // the call hit by the fault is the action's own.
  await services.catalog.getProductDetail(alice, request.productId);
  await services.catalog.getProvisioningForm(alice, { productId: request.productId, artifactId: request.provisioningArtifactId });
  let existing: ProvisionedProduct | undefined;
  if (action !== "launch") {
    existing = await services.provisioning.launchProduct(as(alice), request);
    existing = await settle(existing.id);
  }
  const run = (): Promise<ProvisionedProduct> => {
    if (action === "launch") return services.provisioning.launchProduct(as(alice), request);
    if (action === "update") return services.provisioning.updateProduct(as(alice), existing!.id, { provisioningArtifactId: request.provisioningArtifactId, parameters: { ...request.parameters, RestrictSameRegionDownload: "false" } });
    return services.provisioning.terminateProduct(as(alice), existing!.id, { confirmName: request.name });
  };
  const rows = () => services.db.provisionedProduct.findMany({ where: { name: request.name }, orderBy: { createdAt: "asc" } });
  const inAws = async () => (await emulatorState(backend)).provisionedProducts.filter((p) => p.Name === request.name);

  /** The action took effect, once: one row, one product in AWS (none after a termination). */
  async function expectDone() {
    const [row, ...more] = await rows();
    expect(more).toHaveLength(0);
    const settled = await settle(row!.id);
    const products = await inAws();
    if (action === "terminate") {
      expect(settled.status).toBe("TERMINATED");
      expect(products).toHaveLength(0);
      return;
    }
    expect(settled.status).toBe("AVAILABLE");
    expect(products).toHaveLength(1);
    expect(products[0]!.Id).toBe(settled.awsProvisionedProductId);
    if (action === "update") expect(products[0]!.parameters.RestrictSameRegionDownload).toBe("false");
  }

  /** Nothing changed, in AWS or as the portal shows it; and doing it again now works. */
  async function expectUnchangedThenRetry() {
    const products = await inAws();
    const current = await rows();
    if (action === "launch") {
      expect(products).toHaveLength(0);
      // The failed attempt keeps no hold on the name, and no later reconciliation launches it.
      expect(current.every((r) => r.status === "ERROR")).toBe(true);
      expect(await services.products.isNameAvailable(request.name)).toBe(true);
      await services.reconcile(new Date(Date.now() + 10 * 60_000));
      expect(await inAws()).toHaveLength(0);
    } else {
      expect(products).toHaveLength(1);
      expect(products[0]!.parameters.RestrictSameRegionDownload).toBe("true");
      expect(current).toHaveLength(1);
      expect(current[0]).toMatchObject({ status: "AVAILABLE", awsProvisionedProductId: products[0]!.Id });
      expect((current[0]!.parameters as Record<string, string>).RestrictSameRegionDownload).toBe("true");
    }
    await run();
    if (action === "launch") {
      // The new attempt is the live one; the refused one stays in the history as ERROR.
      const live = (await rows()).filter((r) => r.status !== "ERROR");
      expect(live).toHaveLength(1);
      expect((await settle(live[0]!.id)).status).toBe("AVAILABLE");
      expect(await inAws()).toHaveLength(1);
      return;
    }
    await expectDone();
  }

  return { run, rows, inAws, expectDone, expectUnchangedThenRetry };
}

/** What the person's browser receives for this error. */
async function response(error: unknown) {
  const { logger } = await import("@/lib/logger");
  const res = services.handleApiError(error, logger, "req-1");
  return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
}

const FAULTS = {
  // Sessions already held are expired, so that the action has to assume its role again.
  sts: { operations: ["AssumeRole"], expireSessions: true },
  serviceCatalog: (action: Action) => ({ operations: [OPERATION[action]] }),
};

describe.each(ACTIONS)("%s", (action) => {
  it("completes despite a throttled and a failed (HTTP 500) AssumeRole: the SDK retries", async () => {
    const prepared = await prepare(action);
    const stsErrors = async () => (await emulatorCalls(backend)).calls.filter((c) => c.operation === "AssumeRole").reduce((n, c) => n + c.errors, 0);
    const before = await stsErrors();
    await inject({ ...FAULTS.sts, throttleNext: 1, internalErrorNext: 1 });
    await prepared.run();
    expect((await stsErrors()) - before).toBe(2);
    await prepared.expectDone();
  });

  it(`completes despite a throttled and a failed (HTTP 500) ${OPERATION[action]}: the SDK retries`, async () => {
    const prepared = await prepare(action);
    const before = (await emulatorCalls(backend)).calls.filter((c) => c.operation === OPERATION[action]).reduce((n, c) => n + c.errors, 0);
    await inject({ ...FAULTS.serviceCatalog(action), throttleNext: 1, internalErrorNext: 1 });
    await prepared.run();
    const after = (await emulatorCalls(backend)).calls.filter((c) => c.operation === OPERATION[action]).reduce((n, c) => n + c.errors, 0);
    expect(after - before).toBe(2);
    await prepared.expectDone();
  });
});

describe("when the faults outlast the SDK's retries", () => {
  /**
   * The three actions by alice, whose session is still good (her calls meet Service Catalog's
   * faults), and by bob, whose session has run out (his meet STS's), all at once: each waits out
   * the SDK's retries.
   */
  async function failingActions(faults: Record<string, unknown>) {
    const prepared = await Promise.all(
      (["alice", "bob"] as const).flatMap((person) => ACTIONS.map(async (action) => ({ person, action, ...(await prepare(action, people[person])) }))),
    );
    const { forgetSession } = await import("@/lib/aws/sessions");
    const { identityOf } = await import("@/lib/services/identity");
    forgetSession(identityOf(people.bob));
    await inject({ operations: ["AssumeRole", ...ACTIONS.map((a) => OPERATION[a])], ...faults });
    const errors = await Promise.all(prepared.map((p) => rejection(p.run())));
    await backend.control("faults", { method: "DELETE" });
    return Promise.all(prepared.map(async (p, i) => ({ ...p, what: `${p.person}'s ${p.action}`, response: await response(errors[i]) })));
  }

  it("throttling: 503, nothing was changed, and trying again works", async () => {
    for (const r of await failingActions({ throttleNext: 100 })) {
      const said = r.person === "alice" ? /busy right now\. Nothing was changed; try again in a minute\./ : /not available right now\. Nothing was changed; try again in a minute\./;
      expect(r.response, r.what).toEqual({ status: 503, message: expect.stringMatching(said) });
      await r.expectUnchangedThenRetry();
    }
  }, 60_000);

  it("HTTP 500 from STS: 503, nothing was changed; from Service Catalog: an update or termination says to try again, and it works; a launch is completed by the portal, once", async () => {
    const results = await failingActions({ internalErrorNext: 100 });
    for (const r of results) {
      const { status, message } = r.response;
      if (r.person === "bob") {
        expect(r.response, r.what).toEqual({ status: 503, message: expect.stringMatching(/not available right now\. Nothing was changed; try again in a minute\./) });
        // (after alice's launch below: its check runs a reconciliation, which would re-send hers)
        continue;
      }
      expect(status, r.what).toBe(502);
      if (r.action !== "launch") {
        expect(message, r.what).toMatch(/did not complete the request\. Try again/);
        await r.expectUnchangedThenRetry();
        continue;
      }
      // AWS may or may not have acted: the portal cannot say "nothing was changed", and the person
      // must not launch it again (the row keeps the name); the portal finishes it.
      expect(message).toMatch(/could not confirm the launch with AWS/);
      expect(message).toMatch(/no need to launch it again/);
      const [row] = await r.rows();
      expect(row!.status).toBe("PENDING");
      const report = await services.reconcile(new Date(Date.now() + 10 * 60_000));
      expect(report.pendingResubmitted).toBe(1);
      await r.expectDone();
    }
    // bob's, whose STS failed: nothing changed, and trying again works.
    for (const r of results.filter((x) => x.person === "bob")) await r.expectUnchangedThenRetry();
  });
});

describe("a record that fails in AWS", () => {
  it("a failed launch ends in ERROR with AWS's own message", async () => {
    const message = "Simulated: the bucket policy could not be applied";
    await inject({ failNext: { productName: "S3 Private Encrypted Bucket", operation: "PROVISION", message } });
    const launched = await services.provisioning.launchProduct(as(people.alice), bucketRequest(ids));
    const failed = await settle(launched.id);
    expect(failed.status).toBe("ERROR");
    const view = await services.products.getProductView(people.alice, launched.id);
    expect(view.statusMessage).toBe(message);
    expect(view.records[0]).toMatchObject({ status: "FAILED", errors: [expect.objectContaining({ description: message })] });
  });

  it("a failed update leaves it TAINTED, and what the person reads says the previous version still runs", async () => {
    const { statusBadge } = await import("@/lib/domain/status");
    const request = bucketRequest(ids);
    const launched = await services.provisioning.launchProduct(as(people.alice), request);
    await settle(launched.id);
    const message = "Simulated: the bucket policy update was rejected";
    await inject({ failNext: { productName: "S3 Private Encrypted Bucket", operation: "UPDATE", message } });
    await services.provisioning.updateProduct(as(people.alice), launched.id, { provisioningArtifactId: request.provisioningArtifactId, parameters: { ...request.parameters, RestrictSameRegionDownload: "false" } });
    const tainted = await settle(launched.id);
    expect(tainted.status).toBe("TAINTED");
    expect((await recordRows(launched.id)).at(-1)).toMatchObject({ recordType: "UPDATE_PROVISIONED_PRODUCT", status: "FAILED" });

    // The product page shows the badge and, once settled, the status message.
    const view = await services.products.getProductView(people.alice, launched.id);
    expect(statusBadge(view.status).label).toBe("Needs attention");
    expect(statusBadge(view.status).description).toMatch(/the previous version still runs/);
    expect(view.statusMessage).toBe(`The update failed and AWS rolled it back: the previous version (v1.0.0) still runs, with its previous settings. AWS's reason: ${message}.`);
    expect(view.versionName).toBe("v1.0.0");
    expect(view.parameters.RestrictSameRegionDownload).toBe("true");
  });
});
