/**
 * The authorization matrix, generated from the routes that exist: every `app/**\/route.ts` (each
 * HTTP method) and every `page.tsx`, as anonymous, a researcher who owns the product in the URL,
 * another researcher using the owner's ids, and an administrator. Each answer must be the one in
 * EXPECTED, and no refusal may cause any AWS call. A route or method that is not in EXPECTED fails
 * the test, so a new route cannot escape it.
 *
 * It runs after the other specs (its own Playwright project) so that no other test's background
 * work for these people runs meanwhile; background reconciliation acts as the portal's system
 * identity and is left out of the AWS counts.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { awsActivity, launchBucket, sameOrigin } from "./support/api";
import { baseURL } from "./support/ports";
import { storageStateFor } from "./support/users";

type Role = "anonymous" | "owner" | "otherResearcher" | "admin";
const ROLES: Role[] = ["anonymous", "owner", "otherResearcher", "admin"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/** 401/403/404/405 are refusals; "signin" is a page's redirect to sign-in; other numbers are answers. */
type Outcome = number | "signin";
type ByRole = Record<Role, Outcome>;
const all = (outcome: Outcome): ByRole => ({ anonymous: outcome, owner: outcome, otherResearcher: outcome, admin: outcome });
const signedIn = (outcome: Outcome, anonymous: Outcome = 401): ByRole => ({ anonymous, owner: outcome, otherResearcher: outcome, admin: outcome });
/** The owner may, another researcher gets 404 (as if it did not exist), an admin may read. */
const ownedRead: ByRole = { anonymous: 401, owner: 200, otherResearcher: 404, admin: 200 };
/** Writes reach validation (an empty body: 422) only for the owner; nobody else learns the product exists. */
const ownedWrite: ByRole = { anonymous: 401, owner: 422, otherResearcher: 404, admin: 404 };
/** The admin area: administrators only; researchers are refused (403), nobody signed in gets 401. */
const adminOnly: ByRole = { anonymous: 401, owner: 403, otherResearcher: 403, admin: 200 };
const adminPage: ByRole = { anonymous: "signin", owner: 403, otherResearcher: 403, admin: 200 };
const adminOnlyWrite = (admin: Outcome): ByRole => ({ anonymous: 401, owner: 403, otherResearcher: 403, admin });

/**
 * Every route and method, with what each role gets. API writes are sent as the portal's pages send
 * them (same origin, JSON) with a body that is well-formed JSON but not a valid request, so that
 * "allowed" shows as the validation's 422 and nothing is launched or changed.
 */
const EXPECTED: Record<string, { kind: "api" | "page"; methods: Partial<Record<Method, ByRole>>; url?: string; body?: unknown }> = {
  "/api/auth/[...nextauth]": { kind: "api", url: "/api/auth/providers", methods: { GET: all(200), POST: all(400) } },
  "/api/admin/audit": { kind: "api", url: "/api/admin/audit?outcome=DENIED", methods: { GET: adminOnly } },
  "/api/admin/audit/export": { kind: "api", url: "/api/admin/audit/export?outcome=DENIED", methods: { GET: adminOnly } },
  "/api/auth/end-session": { kind: "api", methods: { GET: all(200) } },
  "/api/catalog": { kind: "api", methods: { GET: signedIn(200) } },
  "/api/catalog/[productId]": { kind: "api", methods: { GET: signedIn(200) } },
  "/api/catalog/[productId]/form": { kind: "api", url: "/api/catalog/{productId}/form?version={versionId}", methods: { GET: signedIn(200) } },
  "/api/health": { kind: "api", methods: { GET: all(200) } },
  "/api/health/live": { kind: "api", methods: { GET: all(200) } },
  "/api/me": { kind: "api", methods: { GET: signedIn(200) } },
  "/api/products": { kind: "api", methods: { GET: signedIn(200), POST: signedIn(422) } },
  "/api/products/changes": { kind: "api", methods: { GET: signedIn(200) } },
  "/api/products/[id]": { kind: "api", methods: { GET: ownedRead, PATCH: ownedWrite } },
  "/api/products/[id]/changes": { kind: "api", methods: { GET: ownedRead } },
  "/api/products/[id]/preview": { kind: "api", methods: { POST: ownedWrite } },
  "/api/products/[id]/sharing": { kind: "api", methods: { GET: ownedRead, POST: ownedWrite } },
  "/api/products/[id]/sharing/preview": { kind: "api", methods: { POST: ownedWrite } },
  "/api/people": { kind: "api", url: "/api/people?q=bob", methods: { GET: signedIn(200) } },
  // Admins may terminate anyone's product (with the typed confirmation: here a wrong one, so 422).
  "/api/products/[id]/terminate": { kind: "api", body: { confirmName: "not-its-name" }, methods: { POST: { ...ownedWrite, admin: 422 } } },
  "/api/products/name-available": { kind: "api", url: "/api/products/name-available?name=matrix-free-name", methods: { GET: signedIn(200) } },
  "/api/admin/products": { kind: "api", methods: { GET: adminOnly } },
  "/api/admin/users": { kind: "api", methods: { GET: adminOnly } },
  "/api/admin/products/[id]/transfer": { kind: "api", methods: { POST: adminOnlyWrite(422) } },
  "/api/admin/products/[id]/transfer/preview": { kind: "api", methods: { POST: adminOnlyWrite(422) } },
  // Ids of nothing: an admin passes the guard and learns it does not exist; nothing is changed.
  "/api/admin/transfers/[id]": { kind: "api", url: "/api/admin/transfers/{missing}", methods: { GET: adminOnlyWrite(404) } },
  "/api/admin/transfers/[id]/resume": { kind: "api", url: "/api/admin/transfers/{missing}/resume", methods: { POST: adminOnlyWrite(404) } },
  "/api/admin/transfers/[id]/rollback": { kind: "api", url: "/api/admin/transfers/{missing}/rollback", methods: { POST: adminOnlyWrite(404) } },
  "/api/admin/offboardings/[id]": { kind: "api", url: "/api/admin/offboardings/{missing}", methods: { GET: adminOnlyWrite(404) } },
  "/api/admin/users/[id]/offboard": { kind: "api", url: "/api/admin/users/{missing}/offboard", methods: { POST: adminOnlyWrite(422) } },
  "/api/admin/users/[id]/deactivate": { kind: "api", url: "/api/admin/users/{missing}/deactivate", methods: { POST: adminOnlyWrite(404) } },
  "/api/admin/users/[id]/reactivate": { kind: "api", url: "/api/admin/users/{missing}/reactivate", methods: { POST: adminOnlyWrite(404) } },
  // Personal access tokens: each person their own (an id of nothing: 404 for whoever is signed in).
  "/api/tokens": { kind: "api", methods: { GET: signedIn(200), POST: signedIn(422) } },
  "/api/tokens/[id]/revoke": { kind: "api", url: "/api/tokens/{missing}/revoke", methods: { POST: signedIn(404) } },
  "/api/admin/users/[id]/tokens": { kind: "api", url: "/api/admin/users/{userId}/tokens", methods: { GET: adminOnly } },
  "/api/admin/users/[id]/tokens/[tokenId]/revoke": { kind: "api", url: "/api/admin/users/{userId}/tokens/{missing}/revoke", methods: { POST: adminOnlyWrite(404) } },
  // A bearer token only: the session cookie of anyone, admin included, is not enough.
  "/api/credentials": { kind: "api", methods: { GET: all(401) } },
  "/": { kind: "page", methods: { GET: signedIn(307, "signin") } },
  "/signin": { kind: "page", methods: { GET: { anonymous: 200, owner: 307, otherResearcher: 307, admin: 307 } } },
  "/admin": { kind: "page", methods: { GET: adminPage } },
  "/admin/products": { kind: "page", methods: { GET: adminPage } },
  "/admin/users": { kind: "page", methods: { GET: adminPage } },
  "/admin/users/[id]": { kind: "page", url: "/admin/users/{userId}", methods: { GET: adminPage } },
  "/admin/audit": { kind: "page", methods: { GET: adminPage } },
  "/catalog": { kind: "page", methods: { GET: signedIn(200, "signin") } },
  "/catalog/[productId]/launch": { kind: "page", methods: { GET: signedIn(200, "signin") } },
  "/products": { kind: "page", methods: { GET: signedIn(200, "signin") } },
  // Each person's own shares: nothing in the URL names someone else's.
  "/products/shared": { kind: "page", methods: { GET: signedIn(200, "signin") } },
  "/cli": { kind: "page", methods: { GET: signedIn(200, "signin") } },
  "/products/[id]": { kind: "page", methods: { GET: { anonymous: "signin", owner: 200, otherResearcher: 404, admin: 200 } } },
  "/products/[id]/update": { kind: "page", methods: { GET: { anonymous: "signin", owner: 200, otherResearcher: 404, admin: 404 } } },
};

type DiscoveredRoute = { pattern: string; kind: "api" | "page"; methods: Method[] };

/** app/(portal)/products/[id]/page.tsx -> /products/[id]; route groups dropped. */
function discoverRoutes(dir = "app", segments: string[] = []): DiscoveredRoute[] {
  const found: DiscoveredRoute[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...discoverRoutes(full, /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]));
    } else if (entry.name === "route.ts" || entry.name === "page.tsx") {
      const pattern = `/${segments.join("/")}`;
      if (entry.name === "page.tsx") {
        found.push({ pattern, kind: "page", methods: ["GET"] });
      } else {
        const source = readFileSync(full, "utf8");
        const exported = new Set<Method>();
        for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) exported.add(m[1] as Method);
        for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) for (const name of m[1]!.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) exported.add(name[1] as Method);
        found.push({ pattern, kind: "api", methods: [...exported] });
      }
    }
  }
  return found;
}

test.describe.configure({ mode: "serial" });

let contexts: Record<Role, APIRequestContext>;
let ids: { id: string; productId: string; versionId: string; userId: string };

test.beforeAll(async () => {
  const make = (role: Role) =>
    playwrightRequest.newContext({
      baseURL,
      ...(role === "anonymous" ? {} : { storageState: storageStateFor(role === "owner" ? "alice" : role === "otherResearcher" ? "bob" : "admin") }),
    });
  contexts = { anonymous: await make("anonymous"), owner: await make("owner"), otherResearcher: await make("otherResearcher"), admin: await make("admin") };
  const product = await launchBucket(contexts.owner, `matrix-${Date.now().toString(36)}`);
  const me = (await (await contexts.owner.get("/api/me")).json()) as { id: string };
  ids = { id: product.id, productId: product.productId, versionId: product.versionId, userId: me.id };
});

test.afterAll(async () => {
  await Promise.all(Object.values(contexts ?? {}).map((c) => c.dispose()));
});

function urlFor(pattern: string, template?: string): string {
  return (template ?? pattern)
    .replace("[...nextauth]", "providers")
    .replace(/\[id\]|\{id\}/g, ids.id)
    .replace(/\[productId\]|\{productId\}/g, ids.productId)
    .replace("{versionId}", ids.versionId)
    .replace("{userId}", ids.userId)
    .replace("{missing}", "00000000-0000-4000-8000-000000000000");
}

test("every route is in the expectation table, and the table names no route that is gone", () => {
  const discovered = discoverRoutes();
  const missing = discovered.filter((r) => !EXPECTED[r.pattern]).map((r) => `${r.kind} ${r.pattern}`);
  expect(missing, "routes without expectations: add them to EXPECTED").toEqual([]);
  const gone = Object.keys(EXPECTED).filter((pattern) => !discovered.some((r) => r.pattern === pattern));
  expect(gone, "expectations for routes that no longer exist").toEqual([]);
  for (const route of discovered) {
    expect(Object.keys(EXPECTED[route.pattern]!.methods).sort(), `methods of ${route.pattern}`).toEqual([...route.methods].sort());
    expect(EXPECTED[route.pattern]!.kind, route.pattern).toBe(route.kind);
  }
});

test("each role gets the expected answer from every route and method, and refusals cause no AWS call", async () => {
  test.setTimeout(240_000);
  const failures: string[] = [];
  for (const route of discoverRoutes()) {
    const expectation = EXPECTED[route.pattern]!;
    const methods: Method[] = route.kind === "api" ? [...METHODS] : ["GET"];
    for (const method of methods) {
      for (const role of ROLES) {
        // Methods a route does not export: Next answers 405 whoever asks.
        const expected: Outcome = expectation.methods[method]?.[role] ?? 405;
        const url = urlFor(route.pattern, expectation.url);
        const before = await awsActivity(contexts.admin);
        const response = await contexts[role].fetch(url, {
          method,
          maxRedirects: 0,
          ...(method === "GET" ? {} : { headers: sameOrigin, data: expectation.body ?? {} }),
        });
        const status = response.status();
        const location = response.headers()["location"] ?? "";
        const got: Outcome = (status === 307 || status === 302 || status === 303) && /\/signin(\?|$)/.test(location) && role === "anonymous" ? "signin" : status;
        if (got !== expected) failures.push(`${method} ${url} as ${role}: expected ${expected}, got ${got}${location ? ` -> ${location}` : ""}`);
        const refused = got === "signin" || (typeof got === "number" && [401, 403, 404, 405].includes(got));
        if (refused) {
          const after = await awsActivity(contexts.admin);
          if (after.calls !== before.calls || after.sessions !== before.sessions) {
            failures.push(`${method} ${url} as ${role} was refused (${got}) but AWS was called (${after.calls - before.calls} Service Catalog calls, ${after.sessions - before.sessions} sessions)`);
          }
        }
      }
    }
  }
  expect(failures).toEqual([]);
});
