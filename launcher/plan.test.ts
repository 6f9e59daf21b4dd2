import { describe, expect, it } from "vitest";
import { parseLauncherSettings, parsePortalEnv } from "@/lib/env";
import { composePortalEnvironment, EMULATOR_CREDENTIALS, parseFlags, planLaunch, UsageError, type LaunchPlan, type ResolvedParts } from "./plan";

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

describe("planLaunch: which parts start", () => {
  it("starts every embedded part when nothing is configured", () => {
    const p = plan();
    expect(p.postgres).toEqual({ dataDir: "/srv/quartermaster/.data/postgres", port: 5488, database: "quartermaster" });
    expect(p.oidc).toMatchObject({
      port: 3001,
      issuer: "http://localhost:3001",
      clientId: "quartermaster",
      clientSecret: undefined,
      clientSecretFile: "/srv/quartermaster/.data/oidc/client-secret",
      dataDir: "/srv/quartermaster/.data/oidc",
      redirectUris: ["http://localhost:3000/api/auth/callback/oidc"],
    });
    expect(p.oidc?.postLogoutRedirectUris).toContain("http://localhost:3000");
    expect(p.emulator).toEqual({ port: 4566, stateFile: "/srv/quartermaster/.data/emulator-state.json", timings: {} });
    expect(p.authSecretFile).toBe("/srv/quartermaster/.data/auth-secret");
    expect(p.portal).toEqual({ port: 3000, appUrl: "http://localhost:3000", healthUrl: "http://127.0.0.1:3000/api/health" });
    expect(p).toMatchObject({ mode: "start", build: true });
  });

  it("starts no PostgreSQL with DATABASE_URL", () => {
    expect(plan({ DATABASE_URL: "postgresql://u:p@db:5432/qm" }).postgres).toBeNull();
  });

  it("starts no OIDC provider with OIDC_ISSUER, and a local one with the given client id and secret otherwise", () => {
    expect(plan({ OIDC_ISSUER: "https://login.example.org/realms/x" }).oidc).toBeNull();
    expect(plan({ OIDC_CLIENT_ID: "qm", OIDC_CLIENT_SECRET: "s3cret", LOCAL_OIDC_PORT: "3101" }).oidc).toMatchObject({
      issuer: "http://localhost:3101",
      clientId: "qm",
      clientSecret: "s3cret",
    });
  });

  it("starts no emulator when any AWS endpoint or access key is configured", () => {
    const configurations: Record<string, string>[] = [
      { AWS_ENDPOINT_URL: "http://localhost:9999" },
      { AWS_ENDPOINT_URL_SERVICE_CATALOG: "https://servicecatalog.eu-west-1.amazonaws.com" },
      { AWS_ENDPOINT_URL_STS: "https://sts.eu-west-1.amazonaws.com" },
      { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "x" },
    ];
    for (const env of configurations) {
      expect(plan(env).emulator, JSON.stringify(env)).toBeNull();
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
    expect(plan({ APP_URL: "https://portal.example.org/" }).oidc?.redirectUris).toEqual(["https://portal.example.org/api/auth/callback/oidc"]);
  });

  it("dev mode never builds", () => {
    expect(plan({}, ["--dev"])).toMatchObject({ mode: "dev", build: false });
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

  it("gives the portal everything the embedded parts resolved, in a form the portal accepts", () => {
    const env = compose({});
    expect(env).toMatchObject({
      HOME: "/root",
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
    expect(() => parsePortalEnv(env)).not.toThrow();
  });

  it("keeps what the person configured and adds no emulator settings for real AWS", () => {
    const given = {
      DATABASE_URL: "postgresql://qm@db.internal:5432/qm",
      OIDC_ISSUER: "https://login.example.org",
      OIDC_CLIENT_SECRET: "from-idp",
      AUTH_SECRET: "s".repeat(48),
      AWS_ACCESS_KEY_ID: "AKIAREALKEY",
      AWS_SECRET_ACCESS_KEY: "real",
      AWS_SESSION_TOKEN: "token",
      AWS_REGION: "eu-west-1",
    };
    const env = compose(given, plan(given), { databaseUrl: given.DATABASE_URL, oidc: null, emulatorUrl: null, authSecret: given.AUTH_SECRET });
    expect(env).toMatchObject({ ...given, AWS_EC2_METADATA_DISABLED: "true" });
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect(() => parsePortalEnv(env)).not.toThrow();
  });

  it("runs next dev in development mode", () => {
    expect(compose({}, plan({}, ["--dev"])).NODE_ENV).toBe("development");
  });

  it("drops stray AWS session settings when pointing the portal at the emulator", () => {
    const env = compose({ AWS_SESSION_TOKEN: "stale", AWS_PROFILE: "work" });
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.AWS_PROFILE).toBeUndefined();
  });
});
