/**
 * Per-person rate limits kept in PostgreSQL: launches, update previews and name checks. Budgets
 * are small here (set before the services read their settings).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { callCount, catalogIds, instanceRequest, logInPeople, resetCalls, settle, uniqueName, type CatalogIds, type People } from "@/test/support/portal-fixtures";
import type { TooManyRequestsError } from "@/lib/errors";

let backend: PortalBackend;
let people: People;
let ids: CatalogIds;
let services: {
  provisioning: typeof import("@/lib/services/provisioning");
  products: typeof import("@/lib/services/products");
  rateLimits: typeof import("@/lib/services/rate-limits");
  db: typeof import("@/lib/db").db;
};

beforeAll(async () => {
  backend = await startPortalBackend();
  Object.assign(process.env, { RATE_LIMIT_LAUNCHES_PER_MINUTE: "3", RATE_LIMIT_PREVIEWS_PER_MINUTE: "2", RATE_LIMIT_NAME_CHECKS_PER_MINUTE: "5" });
  services = {
    provisioning: await import("@/lib/services/provisioning"),
    products: await import("@/lib/services/products"),
    rateLimits: await import("@/lib/services/rate-limits"),
    db: (await import("@/lib/db")).db,
  };
  people = await logInPeople();
  ids = await catalogIds(people.alice);
});

afterAll(async () => {
  await backend?.close();
});

const as = (user: People["alice"]) => ({ user, requestId: "test" });

async function outcome(promise: Promise<unknown>): Promise<"ok" | TooManyRequestsError | Error> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error as Error;
  }
}

describe("a person's budget", () => {
  it("lets exactly the budget through when requests arrive at once, and says when to retry", async () => {
    const { bob } = people;
    const results = await Promise.all(Array.from({ length: 12 }, () => outcome(services.rateLimits.consumeRateLimit(bob.id, "name-check"))));
    expect(results.filter((r) => r === "ok")).toHaveLength(5);
    const refused = results.filter((r): r is TooManyRequestsError => r !== "ok");
    expect(refused).toHaveLength(7);
    for (const error of refused) {
      expect(error.status).toBe(429);
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(12); // one request every 60/5 seconds
      expect(error.message).toMatch(/^You can check at most 5 names a minute\. Try again in \d+ seconds?\.$/);
    }
    // Budgets are per person and per action.
    expect(await outcome(services.rateLimits.consumeRateLimit(people.admin.id, "name-check"))).toBe("ok");
    expect(await outcome(services.rateLimits.consumeRateLimit(bob.id, "preview"))).toBe("ok");
  });

  it("refills over time: one more request once a slot's worth of time has passed", async () => {
    const { admin } = people;
    for (let i = 0; i < 4; i++) await services.rateLimits.consumeRateLimit(admin.id, "name-check");
    expect(await outcome(services.rateLimits.consumeRateLimit(admin.id, "name-check"))).not.toBe("ok");
    // As if 12 seconds (60 / 5) had passed.
    await services.db.$executeRaw`UPDATE rate_limits SET tat = tat - interval '12 seconds' WHERE key = ${`name-check:${admin.id}`}`;
    expect(await outcome(services.rateLimits.consumeRateLimit(admin.id, "name-check"))).toBe("ok");
    expect(await outcome(services.rateLimits.consumeRateLimit(admin.id, "name-check"))).not.toBe("ok");
  });
});

describe("launches", () => {
  it("are refused past the budget with 429, before any row is written or AWS is asked; refused requests cost nothing", async () => {
    const { alice } = people;
    // Invalid launches do not use the budget.
    for (let i = 0; i < 5; i++) {
      const refused = await outcome(services.provisioning.launchProduct(as(alice), instanceRequest(ids, { name: "not a valid name" })));
      expect((refused as Error & { status: number }).status).toBe(422);
    }
    const launched = [];
    for (let i = 0; i < 3; i++) launched.push(await services.provisioning.launchProduct(as(alice), instanceRequest(ids)));
    await resetCalls(backend);
    const name = uniqueName("over-budget");
    const refused = (await outcome(services.provisioning.launchProduct(as(alice), instanceRequest(ids, { name })))) as TooManyRequestsError;
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^You can launch at most 3 products a minute\. Try again in \d+ seconds?\.$/);
    expect(await services.db.provisionedProduct.count({ where: { name } })).toBe(0);
    expect(await callCount(backend, "servicecatalog:ProvisionProduct")).toBe(0);
    // Bob's budget is his own.
    await services.provisioning.launchProduct(as(people.bob), instanceRequest(ids));
    for (const product of launched) await settle(product.id);
  });

  it("update previews too (each creates an AWS plan)", async () => {
    const { bob } = people;
    const request = instanceRequest(ids);
    const product = await services.provisioning.launchProduct(as(bob), request);
    await settle(product.id);
    const change = { provisioningArtifactId: request.provisioningArtifactId, parameters: { ...request.parameters, VolumeSize: "90" }, tagOptions: request.tagOptions };
    // Bob used one preview in the first test; one is left.
    expect(await outcome(services.provisioning.previewUpdate(as(bob), product.id, change))).toBe("ok");
    await resetCalls(backend);
    const refused = (await outcome(services.provisioning.previewUpdate(as(bob), product.id, change))) as TooManyRequestsError;
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^You can preview at most 2 updates a minute/);
    expect(await callCount(backend, "servicecatalog:CreateProvisionedProductPlan")).toBe(0);
  });
});

describe("name checks", () => {
  it("count against the person's name-check budget", async () => {
    const fresh = await (await import("@/lib/services/users")).recordLogin({ issuer: "http://localhost:3001", subject: "carol", email: "carol@example.org", name: "Carol", department: null, project: null, groups: [] });
    for (let i = 0; i < 5; i++) expect(await services.products.checkNameAvailable(fresh, `free-name-${i}`)).toBe(true);
    expect(((await outcome(services.products.checkNameAvailable(fresh, "one-more"))) as TooManyRequestsError).status).toBe(429);
  });
});
