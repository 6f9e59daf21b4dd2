import { describe, expect, it } from "vitest";
import { EnvError, parseLauncherSettings, parsePortalEnv } from "@/lib/env";

const complete = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/qm",
  OIDC_ISSUER: "http://localhost:3001",
  OIDC_CLIENT_SECRET: "s3cret",
  AUTH_SECRET: "x".repeat(32),
};

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
  });

  it("names every missing required variable", () => {
    const issues = issuesOf(() => parsePortalEnv({}));
    expect(issues).toEqual(
      expect.arrayContaining([
        "DATABASE_URL is required but not set",
        "OIDC_ISSUER is required but not set",
        "OIDC_CLIENT_SECRET is required but not set",
        "AUTH_SECRET is required but not set",
      ]),
    );
  });

  it("names the variable and the rule for a bad value", () => {
    expect(issuesOf(() => parsePortalEnv({ ...complete, DATABASE_URL: "mysql://x" }))).toEqual(["DATABASE_URL: must be a postgresql:// connection URL"]);
    expect(issuesOf(() => parsePortalEnv({ ...complete, AUTH_SECRET: "short" }))[0]).toMatch(/^AUTH_SECRET: must be at least 32 characters/);
    expect(issuesOf(() => parsePortalEnv({ ...complete, PORT: "99999" }))[0]).toMatch(/^PORT: /);
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
    const env = parsePortalEnv({ ...complete, AWS_ENDPOINT_URL: "", AWS_ACCESS_KEY_ID: "  " });
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(issuesOf(() => parsePortalEnv({ ...complete, AWS_ENDPOINT_URL: "not a url" }))[0]).toMatch(/^AWS_ENDPOINT_URL: /);
  });

  it("turns JOBS_ENABLED into a boolean and rejects anything but true/false", () => {
    expect(parsePortalEnv({ ...complete, JOBS_ENABLED: "false" }).JOBS_ENABLED).toBe(false);
    expect(issuesOf(() => parsePortalEnv({ ...complete, JOBS_ENABLED: "yes" }))[0]).toMatch(/^JOBS_ENABLED: /);
  });
});

describe("launcher settings", () => {
  it("accepts no settings at all: the embedded parts fill them in", () => {
    const settings = parseLauncherSettings({});
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings.OIDC_ISSUER).toBeUndefined();
    expect(settings.EMBEDDED_POSTGRES_PORT).toBe(5488);
    expect(settings.LOCAL_OIDC_PORT).toBe(3001);
    expect(settings.EMULATOR_PORT).toBe(4566);
  });

  it("still validates what is given", () => {
    expect(issuesOf(() => parseLauncherSettings({ DATABASE_URL: "http://db" }))[0]).toBe("DATABASE_URL: must be a postgresql:// connection URL");
    expect(issuesOf(() => parseLauncherSettings({ OIDC_ISSUER: "nope" }))[0]).toMatch(/^OIDC_ISSUER: /);
  });
});
