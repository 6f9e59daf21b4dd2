import { describe, expect, it } from "vitest";
import { decideMode, EnvError, parseLauncherSettings, parsePortalEnv, PRODUCTION_REQUIRED, productionSettingsIn } from "@/lib/env";

/** What the launcher gives a local portal. */
const complete = {
  QUARTERMASTER_MODE: "local",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/qm",
  OIDC_ISSUER: "http://localhost:3001",
  OIDC_CLIENT_SECRET: "s3cret",
  AUTH_SECRET: "x".repeat(32),
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/** A complete production configuration (credentials from the SDK's default chain). */
const production = {
  DATABASE_URL: "postgresql://qm@db.internal:5432/qm",
  OIDC_ISSUER: "https://login.example.org/realms/research",
  OIDC_CLIENT_SECRET: "from-the-idp",
  AUTH_SECRET: "s".repeat(48),
  APP_URL: "https://quartermaster.example.org",
  AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogEndusers",
  AWS_ADMIN_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogAdmins",
};

const missing = (names: readonly string[]) => names.map((name) => `${name} is required but not set`);

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvError) return error.issues;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("portal settings", () => {
  it("fills in defaults for everything optional", () => {
    const env = parsePortalEnv(complete);
    expect(env.PORT).toBe(3000);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.ADMIN_GROUP).toBe("quartermaster-admins");
    expect(env.RESERVED_TAG_KEYS).toEqual(["OwnerEmail", "Department", "Project"]);
    expect(env.AWS_REGION).toBe("us-east-1");
    expect(env.AWS_ENDUSER_ROLE_ARN).toBe("arn:aws:iam::123456789012:role/ServiceCatalogEndusers");
    expect(env.JOBS_ENABLED).toBe(true);
    expect(env.SHARING_PARAMETER).toBe("S3UserARNs");
    // Empty: the end-user role's account (lib/domain/sharing.ts allowedAccountsFrom).
    expect(env.SHARING_ALLOWED_ACCOUNTS).toEqual([]);
  });

  it("sharing: accounts are 12 digits or *, the parameter a template parameter name", () => {
    expect(parsePortalEnv({ ...complete, SHARING_ALLOWED_ACCOUNTS: "123456789012, 210987654321" }).SHARING_ALLOWED_ACCOUNTS).toEqual(["123456789012", "210987654321"]);
    expect(parsePortalEnv({ ...complete, SHARING_ALLOWED_ACCOUNTS: "*" }).SHARING_ALLOWED_ACCOUNTS).toEqual(["*"]);
    expect(issuesOf(() => parsePortalEnv({ ...complete, SHARING_ALLOWED_ACCOUNTS: "12345" }))).toEqual(["SHARING_ALLOWED_ACCOUNTS: must list 12-digit account ids, or * for any account"]);
    expect(issuesOf(() => parsePortalEnv({ ...complete, SHARING_PARAMETER: "S3 User ARNs" }))).toEqual(["SHARING_PARAMETER: must be a template parameter name (letters and digits)"]);
  });

  it("names every missing required variable", () => {
    const issues = issuesOf(() => parsePortalEnv({ QUARTERMASTER_MODE: "local" }));
    expect(issues).toEqual(missing(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DATABASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_SECRET", "AUTH_SECRET"]));
  });

  it("is in production mode unless told local: then every production setting is required", () => {
    const withoutMode = { ...complete, QUARTERMASTER_MODE: undefined };
    expect(issuesOf(() => parsePortalEnv(withoutMode))).toEqual([...missing(["APP_URL", "AWS_ENDUSER_ROLE_ARN", "AWS_ADMIN_ROLE_ARN"])]);
    expect(issuesOf(() => parsePortalEnv({}))).toEqual(missing(PRODUCTION_REQUIRED));
    const env = parsePortalEnv(production);
    expect(env.QUARTERMASTER_MODE).toBe("production");
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(parsePortalEnv(complete).QUARTERMASTER_MODE).toBe("local");
    expect(issuesOf(() => parsePortalEnv({ ...complete, QUARTERMASTER_MODE: "demo" }))).toEqual(['QUARTERMASTER_MODE: must be "local" or "production", not "demo"']);
  });

  it("production mode: https APP_URL only, and no half key pairs", () => {
    expect(issuesOf(() => parsePortalEnv({ ...production, APP_URL: "http://quartermaster.example.org" }))).toEqual([
      "APP_URL: must be an https:// URL in production mode (secure cookies, HSTS)",
    ]);
    expect(issuesOf(() => parsePortalEnv({ ...production, AWS_ACCESS_KEY_ID: "AKIAREALKEY" }))).toEqual(["AWS_SECRET_ACCESS_KEY: must be set together with AWS_ACCESS_KEY_ID"]);
    expect(issuesOf(() => parsePortalEnv({ ...production, AWS_SESSION_TOKEN: "token" }))).toEqual(["AWS_SESSION_TOKEN: needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"]);
    expect(parsePortalEnv({ ...production, AWS_ACCESS_KEY_ID: "AKIAREALKEY", AWS_SECRET_ACCESS_KEY: "real" }).AWS_ACCESS_KEY_ID).toBe("AKIAREALKEY");
  });

  it("names the variable and the rule for a bad value", () => {
    expect(issuesOf(() => parsePortalEnv({ ...complete, DATABASE_URL: "mysql://x" }))).toEqual(["DATABASE_URL: must be a postgresql:// connection URL"]);
    expect(issuesOf(() => parsePortalEnv({ ...complete, AUTH_SECRET: "short" }))[0]).toMatch(/^AUTH_SECRET: must be at least 32 characters/);
    expect(issuesOf(() => parsePortalEnv({ ...complete, PORT: "99999" }))[0]).toMatch(/^PORT: /);
    expect(issuesOf(() => parsePortalEnv({ ...complete, DATABASE_POOL_SIZE: "0" }))[0]).toMatch(/^DATABASE_POOL_SIZE: /);
    expect(parsePortalEnv(complete).DATABASE_POOL_SIZE).toBe(20);
    expect(issuesOf(() => parsePortalEnv({ ...complete, AWS_ENDUSER_ROLE_ARN: "arn:aws:s3:::bucket" }))[0]).toBe(
      "AWS_ENDUSER_ROLE_ARN: must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    );
    expect(issuesOf(() => parsePortalEnv({ ...complete, AWS_REGION: "Mars" }))[0]).toMatch(/^AWS_REGION: must be an AWS region/);
  });

  it("reads lists: admin emails lower-cased, reserved keys trimmed", () => {
    const env = parsePortalEnv({ ...complete, ADMIN_EMAILS: " Boss@Example.org, it@example.org ,", RESERVED_TAG_KEYS: "CostCenter , Owner" });
    expect(env.ADMIN_EMAILS).toEqual(["boss@example.org", "it@example.org"]);
    expect(env.RESERVED_TAG_KEYS).toEqual(["CostCenter", "Owner"]);
  });

  it("refuses an empty reserved tag list", () => {
    expect(issuesOf(() => parsePortalEnv({ ...complete, RESERVED_TAG_KEYS: " , " }))[0]).toBe("RESERVED_TAG_KEYS: must list at least one key");
  });

  it("treats blank optional AWS settings as absent", () => {
    const env = parsePortalEnv({ ...production, AWS_ENDPOINT_URL: "", AWS_ACCESS_KEY_ID: "  ", AWS_SECRET_ACCESS_KEY: "" });
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    // Local mode never goes without the emulator's keys.
    expect(issuesOf(() => parsePortalEnv({ ...complete, AWS_ACCESS_KEY_ID: "  " }))).toEqual(["AWS_ACCESS_KEY_ID is required but not set"]);
    expect(issuesOf(() => parsePortalEnv({ ...complete, AWS_ENDPOINT_URL: "not a url" }))[0]).toMatch(/^AWS_ENDPOINT_URL: /);
  });

  it("turns JOBS_ENABLED into a boolean and rejects anything but true/false", () => {
    expect(parsePortalEnv({ ...complete, JOBS_ENABLED: "false" }).JOBS_ENABLED).toBe(false);
    expect(issuesOf(() => parsePortalEnv({ ...complete, JOBS_ENABLED: "yes" }))[0]).toMatch(/^JOBS_ENABLED: /);
  });
});

describe("launcher settings", () => {
  it("accepts no settings at all: local mode, the embedded parts fill them in", () => {
    const settings = parseLauncherSettings({});
    expect(settings.QUARTERMASTER_MODE).toBe("local");
    if (settings.QUARTERMASTER_MODE !== "local") return;
    expect(settings.EMBEDDED_POSTGRES_PORT).toBe(5488);
    expect(settings.LOCAL_OIDC_PORT).toBe(3001);
    expect(settings.EMULATOR_PORT).toBe(4566);
    expect(settings.APP_URL).toBe("http://localhost:3000");
  });

  it("still validates what is given", () => {
    expect(issuesOf(() => parseLauncherSettings({ ...production, DATABASE_URL: "http://db" }))).toEqual(["DATABASE_URL: must be a postgresql:// connection URL"]);
    expect(issuesOf(() => parseLauncherSettings({ ...production, OIDC_ISSUER: "nope" }))[0]).toMatch(/^OIDC_ISSUER: /);
    expect(issuesOf(() => parseLauncherSettings({ EMULATOR_PORT: "0" }))[0]).toMatch(/^EMULATOR_PORT: /);
  });

  it("a single production setting means production mode, and names everything else it needs", () => {
    for (const [name, value] of Object.entries(singleProductionSettings)) {
      let error: unknown;
      try {
        parseLauncherSettings({ [name]: value });
      } catch (err) {
        error = err;
      }
      expect(error, name).toBeInstanceOf(EnvError);
      const { message, issues } = error as EnvError;
      expect(message, name).toContain(`production mode (${name} is set)`);
      expect(issues, name).toEqual(missing(PRODUCTION_REQUIRED.filter((required) => required !== name)));
    }
  });

  it("takes a complete production configuration, with AWS credentials from a profile", () => {
    const settings = parseLauncherSettings({ ...production, AWS_PROFILE: "quartermaster" });
    expect(settings.QUARTERMASTER_MODE).toBe("production");
    expect(settings).toMatchObject({ DATABASE_URL: production.DATABASE_URL, APP_URL: production.APP_URL });
  });
});

/** One production setting each, on an otherwise empty configuration. */
const singleProductionSettings: Record<string, string> = {
  DATABASE_URL: "postgresql://qm@db.internal:5432/qm",
  OIDC_ISSUER: "https://login.example.org",
  OIDC_CLIENT_SECRET: "from-the-idp",
  AWS_ACCESS_KEY_ID: "AKIAREALKEY",
  AWS_SECRET_ACCESS_KEY: "real",
  AWS_SESSION_TOKEN: "token",
  AWS_PROFILE: "someprofile",
  AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
  AWS_ROLE_ARN: "arn:aws:iam::210987654321:role/quartermaster-pod",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials",
  AWS_ENDPOINT_URL: "https://vpce.example.amazonaws.com",
  AWS_ENDPOINT_URL_SERVICE_CATALOG: "https://servicecatalog.eu-west-1.amazonaws.com",
  AWS_ENDPOINT_URL_STS: "https://sts.eu-west-1.amazonaws.com",
  AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogEndusers",
  AWS_ADMIN_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogAdmins",
  AWS_ROLE_EXTERNAL_ID: "quartermaster",
  APP_URL: "https://quartermaster.example.org",
};

describe("decideMode", () => {
  it("is local with no production setting at all, whatever else is set", () => {
    const localOnly = {
      APP_URL: "http://localhost:3100",
      PORT: "3100",
      DATA_DIR: ".data/e2e",
      LOG_LEVEL: "warn",
      LOCAL_OIDC_PORT: "3101",
      EMULATOR_PORT: "3102",
      EMBEDDED_POSTGRES_PORT: "3103",
      EMULATOR_PROVISION_MS: "2500",
      AUTH_SECRET: "x".repeat(40),
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      // The emulator's own roles are the local defaults, not a production setting.
      AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::123456789012:role/ServiceCatalogEndusers",
      // Blank counts as unset.
      DATABASE_URL: "  ",
      AWS_PROFILE: "",
    };
    expect(decideMode(localOnly)).toEqual({ mode: "local", productionSettings: [], reason: "no production setting is set" });
    expect(decideMode({ ...localOnly, QUARTERMASTER_MODE: "local" }).mode).toBe("local");
    for (const appUrl of ["http://127.0.0.1:3000", "http://[::1]:3000/"]) expect(decideMode({ APP_URL: appUrl }).mode, appUrl).toBe("local");
  });

  it("is production with any one production setting, naming it", () => {
    for (const [name, value] of Object.entries(singleProductionSettings)) {
      expect(decideMode({ [name]: value }), name).toEqual({ mode: "production", productionSettings: [name], reason: `${name} is set` });
    }
    expect(decideMode({ AWS_ENDPOINT_URL_CLOUDFORMATION: "https://cfn.example" }).productionSettings).toEqual(["AWS_ENDPOINT_URL_CLOUDFORMATION"]);
    expect(decideMode({ APP_URL: "http://quartermaster.internal:3000" }).productionSettings).toEqual(["APP_URL"]);
    expect(decideMode({ AWS_PROFILE: "work", DATABASE_URL: "postgresql://db/qm" }).reason).toBe("DATABASE_URL, AWS_PROFILE are set");
  });

  it("QUARTERMASTER_MODE=production needs no other sign; =local refuses production settings, naming them", () => {
    expect(decideMode({ QUARTERMASTER_MODE: "production" })).toMatchObject({ mode: "production", reason: "QUARTERMASTER_MODE=production" });
    const refusal = issuesOf(() => decideMode({ QUARTERMASTER_MODE: "local", AWS_PROFILE: "work", DATABASE_URL: "postgresql://db/qm" }));
    expect(refusal).toEqual(["DATABASE_URL is a production setting", "AWS_PROFILE is a production setting"]);
    expect(() => decideMode({ QUARTERMASTER_MODE: "local", AWS_PROFILE: "work" })).toThrow(/QUARTERMASTER_MODE=local, but production settings are set/);
    expect(issuesOf(() => decideMode({ QUARTERMASTER_MODE: "prod" }))).toEqual(['QUARTERMASTER_MODE: must be "local" or "production", not "prod"']);
  });

  it("explicit production with nothing set names every missing variable", () => {
    expect(issuesOf(() => parseLauncherSettings({ QUARTERMASTER_MODE: "production" }))).toEqual(
      missing(["DATABASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_SECRET", "AUTH_SECRET", "APP_URL", "AWS_ENDUSER_ROLE_ARN", "AWS_ADMIN_ROLE_ARN"]),
    );
  });

  it("lists production settings in a stable order", () => {
    expect(productionSettingsIn({ APP_URL: "https://x.example", AWS_ROLE_EXTERNAL_ID: "e", OIDC_ISSUER: "https://idp", DATABASE_URL: "postgresql://db/qm" })).toEqual([
      "DATABASE_URL",
      "OIDC_ISSUER",
      "AWS_ROLE_EXTERNAL_ID",
      "APP_URL",
    ]);
  });
});
