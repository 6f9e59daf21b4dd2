/**
 * `npm run doctor` against the real parts it checks: the emulator over the wire (STS + Service
 * Catalog), the local OIDC provider, and PostgreSQL. A correct setup passes every check; each
 * common mistake fails the check that names it, with the fix, and the run exits non-zero.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { startLocalOidcProvider, type LocalOidcProvider } from "@/launcher/oidc-provider";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { oidcRedirectUri } from "@/lib/domain/callback-url";
import { formatChecks, runDoctor, type Check } from "@/lib/services/doctor";

const APP_URL = "https://portal.example.org";
const SECRET = "doctor-client-secret";
const ENDUSER = "arn:aws:iam::123456789012:role/ServiceCatalogEndusers";
const ADMIN = "arn:aws:iam::123456789012:role/ServiceCatalogAdmins";

let emulator: RunningEmulator;
let oidc: LocalOidcProvider;
let database: TestDatabase;
let empty: TestDatabase;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const port = await freePort();
  oidc = await startLocalOidcProvider({ port, clientId: "quartermaster", clientSecret: SECRET, redirectUris: [oidcRedirectUri(APP_URL)], postLogoutRedirectUris: [APP_URL] });
  database = await createTestDatabase();
  empty = await createTestDatabase({ migrate: false });
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([emulator?.close(), oidc?.close(), database?.drop(), empty?.drop()]);
});

function settings(over: Record<string, string | undefined> = {}, aws: RunningEmulator = emulator): Record<string, string | undefined> {
  return {
    DATABASE_URL: database.url,
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: "quartermaster",
    OIDC_CLIENT_SECRET: SECRET,
    AUTH_SECRET: "x".repeat(48),
    APP_URL,
    AWS_ENDUSER_ROLE_ARN: ENDUSER,
    AWS_ADMIN_ROLE_ARN: ADMIN,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: "us-east-1",
    ...over,
  };
}

const byTitle = (checks: Check[], title: string) => {
  const found = checks.find((c) => c.title === title);
  if (!found) throw new Error(`no check "${title}" in:\n${formatChecks(checks)}`);
  return found;
};
const failed = (checks: Check[]) => checks.filter((c) => c.status === "fail").map((c) => c.title);

describe("npm run doctor", () => {
  it("passes every check on a correct setup, in the order the portal needs them", async () => {
    const checks = await runDoctor(settings());
    expect(failed(checks), formatChecks(checks)).toEqual([]);
    expect(checks.map((c) => c.title)).toEqual([
      "Settings for production mode",
      "APP_URL is https",
      "Database reachable",
      "Database migrated",
      "OIDC discovery document",
      "OIDC client id and secret",
      "OIDC redirect URI",
      "Base credentials",
      "Assume the end-user role",
      "Assume the admin role",
      "End users see the catalog",
      "Reserved tag keys are not TagOptions",
      "Admins read every provisioned product",
    ]);
    expect(byTitle(checks, "Base credentials").detail).toBe("arn:aws:iam::123456789012:user/quartermaster");
    expect(byTitle(checks, "Assume the end-user role").detail).toContain("assumed-role/ServiceCatalogEndusers/");
    expect(byTitle(checks, "End users see the catalog").detail).toMatch(/^3 product\(s\)/);
    expect(formatChecks(checks)).toMatch(/^✓ Settings for production mode/);
  });

  it("names a role ARN that does not exist or does not trust the portal", async () => {
    const checks = await runDoctor(settings({ AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::123456789012:role/Typo" }));
    expect(failed(checks)).toEqual(["Assume the end-user role"]);
    const check = byTitle(checks, "Assume the end-user role");
    expect(check.detail).toContain("AccessDenied");
    expect(check.fix).toContain("check AWS_ENDUSER_ROLE_ARN");
    expect(byTitle(checks, "End users see the catalog").status).toBe("skip");
  });

  it("catches a trust policy without sts:TagSession, the most common mistake", async () => {
    const strict = await startEmulator({ port: 0, trustActions: ["sts:SetSourceIdentity"] });
    try {
      const checks = await runDoctor(settings({}, strict));
      expect(failed(checks)).toEqual(["Assume the end-user role", "Assume the admin role"]);
      const check = byTitle(checks, "Assume the end-user role");
      expect(check.detail).toContain("sts:TagSession");
      expect(check.fix).toContain("must allow sts:TagSession for arn:aws:iam::123456789012:user/quartermaster");
    } finally {
      await strict.close();
    }
  });

  it("says when the end-user role sees no products", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "qm-doctor-catalog-"));
    try {
      await cp(path.resolve("catalog"), dir, { recursive: true });
      const catalog = JSON.parse(await readFile(path.join(dir, "catalog.json"), "utf8")) as { portfolios: { principals: string[] }[] };
      for (const portfolio of catalog.portfolios) portfolio.principals = portfolio.principals.filter((p) => !p.endsWith("/ServiceCatalogEndusers"));
      await writeFile(path.join(dir, "catalog.json"), JSON.stringify(catalog));
      const unshared = await startEmulator({ port: 0, catalogDir: dir });
      try {
        const checks = await runDoctor(settings({}, unshared));
        expect(failed(checks)).toEqual(["End users see the catalog"]);
        expect(byTitle(checks, "End users see the catalog").fix).toContain("associate the end-user role with the portfolio");
      } finally {
        await unshared.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("catches a reserved tag key that is also a TagOption", async () => {
    const checks = await runDoctor(settings({ RESERVED_TAG_KEYS: "OwnerEmail,ManagedBy" }));
    expect(failed(checks)).toEqual(["Reserved tag keys are not TagOptions"]);
    expect(byTitle(checks, "Reserved tag keys are not TagOptions").detail).toContain("ManagedBy");
  });

  it("checks the OIDC client secret and the redirect URI with the provider", async () => {
    const wrongSecret = await runDoctor(settings({ OIDC_CLIENT_SECRET: "not-the-secret" }));
    expect(failed(wrongSecret)).toEqual(["OIDC client id and secret"]);
    expect(byTitle(wrongSecret, "OIDC client id and secret").detail).toContain("invalid_client");
    const otherHost = await runDoctor(settings({ APP_URL: "https://elsewhere.example.org" }));
    expect(failed(otherHost)).toEqual(["OIDC redirect URI"]);
    expect(byTitle(otherHost, "OIDC redirect URI").fix).toContain("register https://elsewhere.example.org/api/auth/callback/oidc");
    const wrongIssuer = await runDoctor(settings({ OIDC_ISSUER: `${emulator.url}/no-such-issuer` }));
    expect(failed(wrongIssuer)).toEqual(["OIDC discovery document"]);
    expect(byTitle(wrongIssuer, "OIDC redirect URI").status).toBe("skip");
  });

  it("reports an unmigrated or unreachable database and an http APP_URL, and still checks AWS", async () => {
    const unmigrated = await runDoctor(settings({ DATABASE_URL: empty.url }));
    expect(failed(unmigrated)).toEqual(["Database migrated"]);
    expect(byTitle(unmigrated, "Database migrated").fix).toContain("npm run db:migrate");
    const port = await freePort();
    const unreachable = await runDoctor(settings({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/nothing` }));
    expect(failed(unreachable)).toEqual(["Database reachable"]);
    const http = await runDoctor(settings({ APP_URL: "http://portal.example.org" }));
    expect(failed(http)).toEqual(expect.arrayContaining(["Settings for production mode", "APP_URL is https"]));
    expect(byTitle(http, "Admins read every provisioned product").status).toBe("pass");
  });

  it("runs as npm run doctor: prints the checks and exits 1 on a failure, 0 when all pass", async () => {
    const run = (env: Record<string, string | undefined>) =>
      promisify(execFile)("npx", ["tsx", "--conditions=react-server", "scripts/doctor.ts"], { env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: "true", ...env } as unknown as NodeJS.ProcessEnv, timeout: 120_000 }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const good = await run(settings());
    expect(good.code, good.out).toBe(0);
    expect(good.out).toContain("✓ Assume the admin role");
    expect(good.out).toContain("Everything the portal needs is in place.");
    const bad = await run(settings({ AWS_ADMIN_ROLE_ARN: "arn:aws:iam::123456789012:role/Nope" }));
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("✗ Assume the admin role");
    expect(bad.out).toContain("fix: check AWS_ADMIN_ROLE_ARN");
    expect(bad.out).toContain("1 check(s) failed.");
  }, 180_000);
});
