import { describe, expect, it } from "vitest";
import { parseLauncherSettings, parsePortalEnv } from "@/lib/env";
import { composePortalEnvironment, EMULATOR_CREDENTIALS, localModeNotice, parseFlags, planLaunch, UsageError, type LaunchPlan, type ResolvedParts } from "./plan";

const root = "/srv/quartermaster";
const plan = (env: Record<string, string> = {}, argv: string[] = []) => planLaunch(parseLauncherSettings(env), parseFlags(argv), root);

describe("parseFlags", () => {
  it("builds and starts by default; --dev never builds; --no-build skips the build", () => {
    expect(parseFlags([])).toEqual({ dev: false, build: true });
    expect(parseFlags(["--dev"])).toEqual({ dev: true, build: false });
    expect(parseFlags(["--no-build"])).toEqual({ dev: false, build: false });
  });

  it("refuses unknown options with the usage", () => {
    expect(() => parseFlags(["--prod"])).toThrow(UsageError);
    expect(() => parseFlags(["--prod"])).toThrow(/Unknown option --prod[\s\S]*--no-build/);
  });
});

/** A complete production configuration; AWS credentials come from the SDK's default chain (a profile). */
const production = {
  DATABASE_URL: "postgresql://qm@db.internal:5432/qm",
  OIDC_ISSUER: "https://login.example.org",
  OIDC_CLIENT_SECRET: "from-idp",
  AUTH_SECRET: "s".repeat(48),
  APP_URL: "https://quartermaster.example.org",
  AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogEndusers",
  AWS_ADMIN_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogAdmins",
  AWS_PROFILE: "quartermaster",
  AWS_REGION: "eu-west-1",
};

describe("planLaunch: which parts start", () => {
  it("local mode (no production setting): starts every embedded part", () => {
    const p = plan();
    expect(p.mode).toBe("local");
    expect(p.postgres).toEqual({ dataDir: "/srv/quartermaster/.data/postgres", port: 5488, database: "quartermaster" });
    expect(p.oidc).toMatchObject({
      port: 3001,
      issuer: "http://localhost:3001",
      clientId: "quartermaster",
      clientSecretFile: "/srv/quartermaster/.data/oidc/client-secret",
      dataDir: "/srv/quartermaster/.data/oidc",
      redirectUris: ["http://localhost:3000/api/auth/callback/oidc"],
    });
    expect(p.oidc?.postLogoutRedirectUris).toContain("http://localhost:3000");
    expect(p.emulator).toEqual({ port: 4566, stateFile: "/srv/quartermaster/.data/emulator-state.json", timings: {} });
    expect(p.authSecretFile).toBe("/srv/quartermaster/.data/auth-secret");
    expect(p.portal).toEqual({ port: 3000, appUrl: "http://localhost:3000", healthUrl: "http://127.0.0.1:3000/api/health" });
    expect(p).toMatchObject({ command: "start", build: true });
  });

  it("production mode: starts no stand-in at all, whichever credential source AWS uses", () => {
    const credentialSources: Record<string, string>[] = [
      { AWS_PROFILE: "quartermaster" },
      { AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/token", AWS_ROLE_ARN: "arn:aws:iam::210987654321:role/qm" },
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x" },
      {},
    ];
    for (const credentials of credentialSources) {
      const p = plan({ ...production, AWS_PROFILE: "", ...credentials });
      expect(p, JSON.stringify(credentials)).toMatchObject({ mode: "production", postgres: null, oidc: null, emulator: null, authSecretFile: null });
      expect(p.portal).toEqual({ port: 3000, appUrl: "https://quartermaster.example.org", healthUrl: "http://127.0.0.1:3000/api/health" });
    }
  });

  it("passes the emulator timings that are set", () => {
    expect(plan({ EMULATOR_PROVISION_MS: "2500", EMULATOR_TERMINATE_MS: "0", EMULATOR_PORT: "4577" }).emulator).toEqual({
      port: 4577,
      stateFile: "/srv/quartermaster/.data/emulator-state.json",
      timings: { provisionMs: 2500, terminateMs: 0 },
    });
  });

  it("generates no auth secret when AUTH_SECRET is set", () => {
    expect(plan({ AUTH_SECRET: "x".repeat(40) }).authSecretFile).toBeNull();
  });

  it("keeps data where DATA_DIR says, relative to the project root or absolute", () => {
    expect(plan({ DATA_DIR: ".data/e2e" }).postgres?.dataDir).toBe("/srv/quartermaster/.data/e2e/postgres");
    expect(plan({ DATA_DIR: "/var/lib/qm" }).emulator?.stateFile).toBe("/var/lib/qm/emulator-state.json");
  });

  it("derives the callback URL from APP_URL without doubling slashes", () => {
    expect(plan({ APP_URL: "http://localhost:3100/", LOCAL_OIDC_PORT: "3101" }).oidc).toMatchObject({
      issuer: "http://localhost:3101",
      redirectUris: ["http://localhost:3100/api/auth/callback/oidc"],
    });
  });

  it("dev mode never builds", () => {
    expect(plan({}, ["--dev"])).toMatchObject({ command: "dev", build: false });
  });
});

describe("localModeNotice", () => {
  it("says what runs locally, that the demo passwords are public and that AWS is an emulator", () => {
    const notice = localModeNotice(plan({ EMULATOR_PORT: "3102", LOCAL_OIDC_PORT: "3101" })).join("\n");
    expect(notice).toContain("LOCAL DEMO MODE");
    expect(notice).toContain("Not for real data");
    expect(notice).toMatch(/http:\/\/localhost:3101; its passwords are public/);
    expect(notice).toMatch(/local emulator on http:\/\/127\.0\.0\.1:3102, not an AWS account/);
  });
});

describe("composePortalEnvironment", () => {
  const resolved: ResolvedParts = {
    databaseUrl: "postgresql://postgres:quartermaster@127.0.0.1:5488/quartermaster",
    oidc: { issuer: "http://localhost:3001", clientSecret: "client-secret" },
    emulatorUrl: "http://127.0.0.1:4566",
    authSecret: "a".repeat(64),
  };
  const compose = (env: Record<string, string>, p: LaunchPlan = plan(env), r: ResolvedParts = resolved) => composePortalEnvironment({ ...env, HOME: "/root" }, parseLauncherSettings(env), p, r);

  it("local mode: gives the portal everything the embedded parts resolved, in a form the portal accepts", () => {
    const env = compose({});
    expect(env).toMatchObject({
      HOME: "/root",
      QUARTERMASTER_MODE: "local",
      DATABASE_URL: resolved.databaseUrl,
      OIDC_ISSUER: "http://localhost:3001",
      OIDC_CLIENT_ID: "quartermaster",
      OIDC_CLIENT_SECRET: "client-secret",
      AUTH_SECRET: resolved.authSecret,
      NEXTAUTH_URL: "http://localhost:3000",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      ...EMULATOR_CREDENTIALS,
      AWS_EC2_METADATA_DISABLED: "true",
      NODE_ENV: "production",
      PORT: "3000",
    });
    expect(parsePortalEnv(env).QUARTERMASTER_MODE).toBe("local");
  });

  it("production mode: passes the settings through untouched, the AWS profile included, and injects no keys", () => {
    const env = compose(production, plan(production), { databaseUrl: production.DATABASE_URL, oidc: null, emulatorUrl: null, authSecret: production.AUTH_SECRET });
    expect(env).toMatchObject({ ...production, QUARTERMASTER_MODE: "production", NEXTAUTH_URL: "https://quartermaster.example.org" });
    // No key, endpoint or metadata switch of the launcher's: the SDK's default chain finds the credentials.
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect(env.AWS_EC2_METADATA_DISABLED).toBeUndefined();
    expect(parsePortalEnv(env).QUARTERMASTER_MODE).toBe("production");
  });

  it("production mode: keeps explicit keys and endpoints as given", () => {
    const given = { ...production, AWS_PROFILE: "", AWS_ACCESS_KEY_ID: "AKIAREALKEY", AWS_SECRET_ACCESS_KEY: "real", AWS_SESSION_TOKEN: "token", AWS_ENDPOINT_URL_STS: "https://sts.eu-west-1.amazonaws.com" };
    const env = compose(given, plan(given), { databaseUrl: given.DATABASE_URL, oidc: null, emulatorUrl: null, authSecret: given.AUTH_SECRET });
    expect(env).toMatchObject({ AWS_ACCESS_KEY_ID: "AKIAREALKEY", AWS_SECRET_ACCESS_KEY: "real", AWS_SESSION_TOKEN: "token", AWS_ENDPOINT_URL_STS: given.AWS_ENDPOINT_URL_STS });
    expect(() => parsePortalEnv(env)).not.toThrow();
  });

  it("runs next dev in development mode", () => {
    expect(compose({}, plan({}, ["--dev"])).NODE_ENV).toBe("development");
  });
});
