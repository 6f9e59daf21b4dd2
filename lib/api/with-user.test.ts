/**
 * The one guard of every API route (lib/api/with-user.ts), on a route of the test's own: what a
 * caller gets for each way a request can be wrong, in the guard's order (same origin and content
 * type, size, who, permission, path ids, query, body), that the handler never runs for any of
 * them, and that a refusal by the permission table lands in the audit log. Real PostgreSQL; only
 * the cookie session is stood in for (it needs a Next request scope).
 */
import { NextRequest } from "next/server";
import { z } from "zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import type { User } from "@/generated/prisma/client";
import type { Permission } from "@/lib/domain/permissions";

const signedIn = vi.hoisted(() => ({ user: null as User | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => signedIn.user }));

let backend: PortalBackend;
let guard: typeof import("@/lib/api/with-user");
let db: typeof import("@/lib/db").db;
let appOrigin: string;
let alice: User;
const ran: unknown[] = [];

beforeAll(async () => {
  backend = await startPortalBackend();
  guard = await import("@/lib/api/with-user");
  db = (await import("@/lib/db")).db;
  appOrigin = new URL((await import("@/lib/env")).env().APP_URL).origin;
  alice = await db.user.create({ data: { issuer: "https://idp.example", subject: "alice", email: "alice@example.org", role: "USER", awsSessionName: "alice@example.org" } });
});

afterAll(async () => {
  await backend?.close();
});

beforeEach(() => {
  ran.length = 0;
  signedIn.user = alice;
});

const ID = "3f2b8a3e-6d1c-4e5b-9a7f-0c1d2e3f4a5b";
const schemas = {
  params: z.object({ id: z.uuid("must be a product id") }),
  query: z.object({ limit: z.coerce.number().int().min(1, "limit: must be at least 1").max(100, "limit: must be at most 100").default(10) }),
  body: z.object({ name: z.string().min(3, "Name must be at least 3 characters") }),
};

/** A route as the app declares them, whose handler records what it was given. */
function route(permission: Permission = "product:update") {
  return guard.withUser(
    async (ctx) => {
      ran.push({ user: ctx.user.email, params: ctx.params, query: ctx.query, body: ctx.body });
      if ((ctx.body as { name?: string } | undefined)?.name === "explode") throw new Error("secret detail: password=hunter2 at /srv/app");
      return { ok: true, requestId: ctx.requestId };
    },
    { permission, ...schemas },
  );
}

async function call(method: string, { id = ID, search = "", headers = {}, body }: { id?: string; search?: string; headers?: Record<string, string>; body?: BodyInit } = {}) {
  const request = new NextRequest(`${appOrigin}/api/things/${id}${search}`, { method, headers, ...(body !== undefined ? { body, duplex: "half" } : {}) } as ConstructorParameters<typeof NextRequest>[1]);
  const response = await route()(request, { params: Promise.resolve({ id }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as { error?: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string } } & Record<string, unknown>) : null };
}

const sameOrigin = { "sec-fetch-site": "same-origin", "content-type": "application/json" };

describe("the guard", () => {
  it("runs the handler with the person, the parsed ids, query and body, and answers with the request id", async () => {
    const got = await call("POST", { search: "?limit=5", headers: { ...sameOrigin, "x-request-id": "lb-trace-0001" }, body: JSON.stringify({ name: "genome-bucket" }) });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ ok: true, requestId: "lb-trace-0001" });
    expect(got.headers.get("x-request-id")).toBe("lb-trace-0001");
    expect(ran).toEqual([{ user: "alice@example.org", params: { id: ID }, query: { limit: 5 }, body: { name: "genome-bucket" } }]);
    // A request id that is not short and plain is replaced, never echoed.
    const odd = await call("GET", { headers: { "x-request-id": "<script>alert(1)</script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses nobody signed in with 401, and a personal access token on a session route", async () => {
    signedIn.user = null;
    const anonymous = await call("GET");
    expect([anonymous.status, anonymous.json?.error?.code]).toEqual([401, "unauthenticated"]);
    signedIn.user = alice;
    const token = await call("GET", { headers: { authorization: "Bearer qm_pat_0123456789abcdefghijklmnopqrstuv" } });
    expect(token.status).toBe(401);
    expect(token.json?.error?.message).toContain("only by /api/credentials");
    expect(ran).toEqual([]);
  });

  it("refuses a write from another site before anything else, even without a session", async () => {
    signedIn.user = null;
    const crossSite: Record<string, string>[] = [{ "content-type": "application/json" }, { "content-type": "application/json", origin: "https://evil.example" }, { "content-type": "application/json", "sec-fetch-site": "same-site" }];
    for (const headers of crossSite) {
      const got = await call("POST", { headers, body: JSON.stringify({ name: "genome-bucket" }) });
      expect([got.status, got.json?.error?.message]).toEqual([403, "Cross-site request refused: changes can only be made from the portal's own pages."]);
    }
    // The portal's own origin (a browser without Sec-Fetch-Site) is enough.
    signedIn.user = alice;
    expect((await call("POST", { headers: { origin: appOrigin, "content-type": "application/json" }, body: JSON.stringify({ name: "genome-bucket" }) })).status).toBe(200);
    expect(ran).toHaveLength(1);
  });

  it("takes only JSON, at most 1 MiB whatever Content-Length says, and says what was wrong without echoing it", async () => {
    const form = await call("POST", { headers: { "sec-fetch-site": "same-origin", "content-type": "text/plain" }, body: "name=x" });
    expect(form.status).toBe(415);
    const declared = await call("POST", { headers: { ...sameOrigin, "content-length": String(guard.MAX_BODY_BYTES + 1) }, body: "{}" });
    expect(declared.status).toBe(413);
    const big = JSON.stringify({ name: "x".repeat(guard.MAX_BODY_BYTES) });
    const streamed = await call("POST", { headers: sameOrigin, body: new Blob([big]).stream() });
    expect(streamed.status).toBe(413);
    const broken = await call("POST", { headers: sameOrigin, body: '{"name": "sk-live-123' });
    expect([broken.status, broken.json?.error?.message]).toEqual([400, "The request body is not valid JSON."]);
    expect(broken.text).not.toContain("sk-live-123");
    expect(ran).toEqual([]);
  });

  it("answers 404 for an id that names nothing, and 422 naming the field for a bad query or body", async () => {
    const badId = await call("GET", { id: "../../etc/passwd" });
    expect([badId.status, badId.json?.error?.code]).toEqual([404, "not_found"]);
    const badQuery = await call("GET", { search: "?limit=5000" });
    expect(badQuery.status).toBe(422);
    expect(badQuery.json?.error?.issues).toEqual([{ path: "limit", message: "limit: must be at most 100" }]);
    const badBody = await call("POST", { headers: sameOrigin, body: JSON.stringify({ name: "x" }) });
    expect(badBody.status).toBe(422);
    expect(badBody.json?.error?.issues).toEqual([{ path: "name", message: "Name must be at least 3 characters" }]);
    expect(ran).toEqual([]);
  });

  it("refuses what the permission table does not allow with 403, recorded in the audit log as DENIED", async () => {
    const request = new NextRequest(`${appOrigin}/api/admin/things/${ID}`, { method: "GET" });
    const response = await route("product:transfer")(request, { params: Promise.resolve({ id: ID }) });
    expect(response.status).toBe(403);
    expect(ran).toEqual([]);
    const denied = await db.auditEvent.findMany({ where: { actorId: alice.id, outcome: "DENIED" } });
    expect(denied.map((e) => ({ target: e.targetId, permission: (e.details as { permission?: string }).permission }))).toEqual([{ target: `GET /api/admin/things/${ID}`, permission: "product:transfer" }]);
  });

  it("turns a handler's unexpected failure into a 500 that carries the request id and none of the error's words", async () => {
    const got = await call("POST", { headers: { ...sameOrigin, "x-request-id": "lb-trace-0002" }, body: JSON.stringify({ name: "explode" }) });
    expect(got.status).toBe(500);
    expect(got.json?.error?.requestId).toBe("lb-trace-0002");
    expect(got.text).not.toMatch(/hunter2|\/srv\/app|at .*\.ts/);
  });
});
