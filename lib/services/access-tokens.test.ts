/**
 * Personal access tokens and GET /api/credentials, against PostgreSQL and the emulator over the
 * wire: the token's life (create, use, revoke, expire, deactivated owner, the limits), the route
 * as the AWS CLI's credential_process meets it (the guard's bearer mode, 401 / 429 / no-store),
 * the session it returns (alice's own assumed role), and the real AWS CLI v2 using a profile whose
 * credential_process calls the route over HTTP.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { bucketRequest, catalogIds, logInPeople, settle, type People } from "@/test/support/portal-fixtures";
import type { User } from "@/generated/prisma/client";

vi.mock("@/lib/logger", async (original) => (await import("@/test/support/captured-logs")).loggerWritingToMemory(await original()));
// The guard's cookie session always says "alice": the bearer route must not listen to it.
const signedIn = vi.hoisted(() => ({ user: null as User | null }));
vi.mock("@/lib/auth/session", () => ({ currentUser: async () => signedIn.user }));

const run = promisify(execFile);

let backend: PortalBackend;
let people: People;
let tokens: typeof import("@/lib/services/access-tokens");
let domain: typeof import("@/lib/domain/access-tokens");
let db: typeof import("@/lib/db").db;
let credentialsRoute: typeof import("@/app/api/credentials/route");
let tokensRoute: typeof import("@/app/api/tokens/route");

beforeAll(async () => {
  backend = await startPortalBackend();
  tokens = await import("@/lib/services/access-tokens");
  domain = await import("@/lib/domain/access-tokens");
  db = (await import("@/lib/db")).db;
  credentialsRoute = await import("@/app/api/credentials/route");
  tokensRoute = await import("@/app/api/tokens/route");
  people = await logInPeople();
  signedIn.user = people.alice;
}, 120_000);
afterAll(async () => backend?.close());

const as = (user: User) => ({ user, requestId: "test" });
const noParams = { params: Promise.resolve({}) };

function getCredentials(headers: Record<string, string> = {}) {
  return credentialsRoute.GET(new NextRequest("http://localhost:3000/api/credentials", { headers: { "x-forwarded-for": "203.0.113.7", ...headers } }), noParams);
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newToken(user: User, name = "laptop", expiresInDays?: number) {
  return tokens.createAccessToken(as(user), { name, ...(expiresInDays === undefined ? {} : { expiresInDays }) });
}

describe("a token's life", () => {
  it("is created with the qm_pat_ prefix, stored only as its SHA-256, listed without its secret, and audited", async () => {
    const bob = people.bob;
    const { token, accessToken } = await newToken(bob, "workstation");
    expect(token).toMatch(/^qm_pat_[A-Za-z0-9_-]{43}$/);
    const row = await db.accessToken.findUniqueOrThrow({ where: { id: accessToken.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token.slice(7));
    const days = (Date.parse(accessToken.expiresAt) - Date.parse(accessToken.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 3);
    const listed = await tokens.listAccessTokens(as(bob));
    expect(listed[0]).toMatchObject({ id: accessToken.id, name: "workstation", status: "active", lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(await db.auditEvent.findFirst({ where: { action: "token.create", targetId: accessToken.id } })).toMatchObject({ actorId: bob.id, outcome: "SUCCESS" });
  });

  it("refuses an expiry past 90 days, or a missing name, naming the field and the rule", async () => {
    await expect(newToken(people.bob, "long", 91)).rejects.toMatchObject({ status: 422, issues: [{ path: "expiresInDays", message: "A token lives at most 90 days." }] });
    await expect(newToken(people.bob, "  ")).rejects.toMatchObject({ status: 422, issues: [{ path: "name", message: "Give the token a name." }] });
    expect(await db.accessToken.count({ where: { userId: people.bob.id, name: { in: ["long", ""] } } })).toBe(0);
    const response = await tokensRoute.POST(
      new NextRequest("http://localhost:3000/api/tokens", { method: "POST", headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" }, body: JSON.stringify({ name: "x", expiresInDays: 365 }) }),
      noParams,
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { message: "expiresInDays: A token lives at most 90 days." } });
  });

  it("works, and notes its last use (time and IP) without an audit event per call", async () => {
    const { token, accessToken } = await newToken(people.alice, "use");
    const auditBefore = await db.auditEvent.count();
    const response = await getCredentials(bearer(token));
    expect(response.status).toBe(200);
    const row = await db.accessToken.findUniqueOrThrow({ where: { id: accessToken.id } });
    expect(row.lastUsedIp).toBe("203.0.113.7");
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(10_000);
    expect(await db.auditEvent.count()).toBe(auditBefore);
  });

  it("notes the address the proxy in front of the portal saw, not one the caller wrote before it", async () => {
    const { token, accessToken } = await newToken(people.alice, "forged-address");
    const lastUsedIpAfter = async (forwardedFor: string) => {
      expect((await getCredentials({ ...bearer(token), "x-forwarded-for": forwardedFor })).status).toBe(200);
      return (await db.accessToken.findUniqueOrThrow({ where: { id: accessToken.id } })).lastUsedIp;
    };
    expect(await lastUsedIpAfter("198.51.100.66, 203.0.113.9")).toBe("203.0.113.9");
    expect(await lastUsedIpAfter("203.0.113.9, <script>")).toBeNull();
  });

  it("stops at once when revoked (audited), when expired, and when its owner is deactivated", async () => {
    const revoked = await newToken(people.alice, "to-revoke");
    expect((await getCredentials(bearer(revoked.token))).status).toBe(200);
    await tokens.revokeAccessToken(as(people.alice), revoked.accessToken.id);
    const refused = await getCredentials(bearer(revoked.token));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthenticated", message: expect.stringContaining('"to-revoke" has been revoked') } });
    expect(await db.auditEvent.findFirst({ where: { action: "token.revoke", targetId: revoked.accessToken.id } })).toMatchObject({ actorId: people.alice.id });

    const expired = await newToken(people.alice, "to-expire");
    await db.accessToken.update({ where: { id: expired.accessToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await getCredentials(bearer(expired.token));
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ error: { message: expect.stringContaining("expired") } });

    const { recordLogin } = await import("@/lib/services/users");
    const carol = await recordLogin({ issuer: "http://localhost:3001", subject: "carol", email: "carol@example.org", name: "Carol", department: "Epidemiology", project: "UKB", groups: [] });
    const carols = await newToken(carol, "carol");
    expect((await getCredentials(bearer(carols.token))).status).toBe(200);
    const { setUserActive } = await import("@/lib/services/users");
    await setUserActive(as(people.admin), carol.id, false);
    const gone = await getCredentials(bearer(carols.token));
    expect(gone.status).toBe(401);
    expect(await gone.json()).toMatchObject({ error: { message: "This account has been deactivated by an administrator." } });
  });

  it("is refused past 10 active tokens; revoked and expired ones do not count", async () => {
    const { recordLogin } = await import("@/lib/services/users");
    const dan = await recordLogin({ issuer: "http://localhost:3001", subject: "dan", email: "dan@example.org", name: "Dan", department: null, project: null, groups: [] });
    const created = [];
    for (let i = 0; i < 10; i++) created.push(await newToken(dan, `t${i}`));
    await expect(newToken(dan, "eleventh")).rejects.toMatchObject({ status: 409, message: expect.stringContaining("at most 10 active tokens") });
    await tokens.revokeAccessToken(as(dan), created[0]!.accessToken.id);
    await db.accessToken.update({ where: { id: created[1]!.accessToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await newToken(dan, "after-revoke");
    await newToken(dan, "after-expiry");
    await expect(newToken(dan, "too-many")).rejects.toMatchObject({ status: 409 });
  });

  it("is the owner's to revoke; another researcher gets 404, an admin may, and offboarding revokes them all", async () => {
    const { accessToken } = await newToken(people.bob, "bobs");
    await expect(tokens.revokeAccessToken(as(people.alice), accessToken.id)).rejects.toMatchObject({ status: 404 });
    await expect(tokens.listAccessTokens(as(people.alice), people.bob.id)).rejects.toMatchObject({ status: 403 });
    expect((await tokens.listAccessTokens(as(people.admin), people.bob.id)).map((t) => t.id)).toContain(accessToken.id);
    await expect(tokens.revokeAccessToken(as(people.admin), accessToken.id, people.bob.id)).resolves.toMatchObject({ status: "revoked" });

    const live = await newToken(people.bob, "bob-live");
    const { startOffboarding } = await import("@/lib/services/offboarding");
    await startOffboarding(as(people.admin), people.bob.id, people.admin.id);
    expect((await getCredentials(bearer(live.token))).status).toBe(401);
    expect(await db.accessToken.count({ where: { userId: people.bob.id, revokedAt: null } })).toBe(0);
  });
});

describe("GET /api/credentials", () => {
  it("answers in credential_process format, no-store, with at least 15 minutes left", async () => {
    const { token } = await newToken(people.alice, "format");
    const response = await getCredentials(bearer(token));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken", "Version"]);
    expect(body.Version).toBe(1);
    expect(body.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(body.Expiration) - Date.now()).toBeGreaterThanOrEqual(15 * 60 * 1000);
  });

  it("is alice's own assumed-role session, as the portal's (GetCallerIdentity)", async () => {
    const { token } = await newToken(people.alice, "identity");
    const body = await (await getCredentials(bearer(token))).json();
    const sts = new STSClient({ region: "us-east-1", endpoint: backend.emulatorUrl, credentials: { accessKeyId: body.AccessKeyId, secretAccessKey: body.SecretAccessKey, sessionToken: body.SessionToken } });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org");
    const { principalArnOf } = await import("@/lib/services/identity");
    expect(identity.Arn).toBe(principalArnOf(people.alice));
    // The very session STS issued for the portal's own use: SourceIdentity and session tags too.
    const state = (await backend.control("state")) as { sessions: { accessKeyId: string; sourceIdentity?: string; tags: { Key: string; Value: string }[] }[] };
    const issued = state.sessions.find((s) => s.accessKeyId === body.AccessKeyId);
    expect(issued?.sourceIdentity).toBe("alice@example.org");
    expect(issued?.tags).toEqual(expect.arrayContaining([{ Key: "OwnerEmail", Value: "alice@example.org" }, { Key: "Department", Value: "Neuroscience" }, { Key: "Project", Value: "ADNI" }]));
  });

  it("refuses an unknown, malformed or missing token, and a cookie alone, with 401 JSON and no-store", async () => {
    const forged = `qm_pat_${"A".repeat(43)}`;
    const cases: Record<string, string>[] = [bearer(forged), bearer("not-a-token"), { cookie: "next-auth.session-token=whatever" }, {}];
    for (const headers of cases) {
      const response = await getCredentials(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toMatchObject({ error: { code: "unauthenticated", message: expect.any(String) } });
    }
  });

  it("refuses a bearer token on the portal's other routes", async () => {
    const { token } = await newToken(people.alice, "elsewhere");
    const response = await tokensRoute.GET(new NextRequest("http://localhost:3000/api/tokens", { headers: bearer(token) }), noParams);
    expect(response.status).toBe(401);
  });

  it("allows 60 requests a minute per token, then 429 with Retry-After", async () => {
    const { token } = await newToken(people.alice, "busy");
    const other = await newToken(people.alice, "other");
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await getCredentials(bearer(token))).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await getCredentials(bearer(token));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { message: expect.stringContaining("at most 60 times a minute") } });
    // The budget is the token's: another token of the same person still works.
    expect((await getCredentials(bearer(other.token))).status).toBe(200);
  });
});

describe("secrets", () => {
  it("never reach the log: not the token, not the credentials it buys", async () => {
    const { rawLogs, clearLogs } = await import("@/test/support/captured-logs");
    clearLogs();
    const { token } = await newToken(people.alice, "quiet");
    const granted = await (await getCredentials(bearer(token))).json();
    await getCredentials(bearer(`${token.slice(0, -1)}x`));
    const logs = rawLogs();
    expect(logs).toContain('"path":"/api/credentials"');
    for (const secret of [token, token.slice(7), granted.SecretAccessKey, granted.SessionToken]) expect(logs).not.toContain(secret);
  });
});

/** Every AWS CLI v2 here (Debian's is /usr/bin/aws). */
const awsCli = (() => {
  try {
    return execFileSync("/usr/bin/aws", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).startsWith("aws-cli/2") ? "/usr/bin/aws" : null;
  } catch {
    return null;
  }
})();
// CI installs the CLI (.ci/run): there its absence is a failure, not a silent skip.
if (!awsCli && process.env.CI) throw new Error("The AWS CLI v2 (/usr/bin/aws) is required in CI: install Debian's awscli");

describe.skipIf(!awsCli)("the AWS CLI v2 with a credential_process profile", () => {
  let server: Server;
  let portalUrl: string;
  let home: string;

  beforeAll(async () => {
    // The built route handler behind a real HTTP server: what `next start` does with it.
    server = createServer((req, res) => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      headers.set("x-forwarded-for", req.socket.remoteAddress ?? "");
      const request = new NextRequest(new URL(req.url ?? "/", portalUrl), { method: req.method ?? "GET", headers });
      const handle = request.nextUrl.pathname === "/api/credentials" ? credentialsRoute.GET(request, noParams) : Promise.resolve(Response.json({ error: { message: "Not found." } }, { status: 404 }));
      void handle.then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    portalUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    home = await mkdtemp(path.join(tmpdir(), "qm-cli-"));
  });
  afterAll(async () => {
    server?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function aws(token: string, args: string[]) {
    const tokenFile = path.join(home, "quartermaster-token");
    await writeFile(tokenFile, token, { mode: 0o600 });
    const configFile = path.join(home, "config");
    await writeFile(configFile, `[profile quartermaster]\nregion = us-east-1\ncredential_process = ${domain.credentialProcessCommand(portalUrl, tokenFile)}\n`);
    // Only the profile: no keys, no other files, no instance metadata.
    const env = { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true", AWS_PAGER: "" };
    return run(awsCli!, ["--profile", "quartermaster", "--endpoint-url", backend.emulatorUrl, "--output", "json", ...args], { env: env as unknown as NodeJS.ProcessEnv, timeout: 90_000 });
  }

  it("is alice in AWS, sees only her products, and fails with the portal's message once the token is revoked", async () => {
    const ids = await catalogIds(people.alice);
    const { launchProduct } = await import("@/lib/services/provisioning");
    const hers = await launchProduct(as(people.alice), bucketRequest(ids));
    const his = await launchProduct(as(people.bob), bucketRequest(ids));
    await settle(hers.id);
    await settle(his.id);

    const { token, accessToken } = await newToken(people.alice, "cli");
    const identity = JSON.parse((await aws(token, ["sts", "get-caller-identity"])).stdout);
    expect(identity.Arn).toBe("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org");

    // SearchProvisionedProducts defaults to the whole account, which the end-user role may not see.
    const listed = JSON.parse((await aws(token, ["servicecatalog", "search-provisioned-products", "--access-level-filter", "Key=User,Value=Self"])).stdout);
    const names = listed.ProvisionedProducts.map((p: { Name: string }) => p.Name);
    expect(names).toContain(hers.name);
    expect(names).not.toContain(his.name);

    await tokens.revokeAccessToken(as(people.alice), accessToken.id);
    const failed = await aws(token, ["sts", "get-caller-identity"]).then(
      () => null,
      (error: { stderr: string; code: number }) => error,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toContain('The access token \\"cli\\" has been revoked');
  }, 240_000);
});
