/**
 * What `npm start` will run, decided from the settings alone (no I/O): which embedded stand-ins
 * start, where they keep their data, and the environment the portal process gets.
 */
import path from "node:path";
import type { LauncherSettings } from "../lib/env";

export type LaunchFlags = { dev: boolean; build: boolean };

export class UsageError extends Error {}

export const USAGE = `Usage: npm start [-- --no-build]   |   npm run dev
  --dev       run \`next dev\` instead of building and running \`next start\`
  --no-build  run \`next start\` on the existing build, even if sources changed`;

export function parseFlags(argv: string[]): LaunchFlags {
  const flags: LaunchFlags = { dev: false, build: true };
  for (const arg of argv) {
    if (arg === "--dev") flags.dev = true;
    else if (arg === "--no-build") flags.build = false;
    else throw new UsageError(`Unknown option ${arg}\n${USAGE}`);
  }
  if (flags.dev) flags.build = false;
  return flags;
}

export const EMBEDDED_DATABASE = "quartermaster";

// The emulator's fixed credentials: AWS's documented example keys, so nobody mistakes them for real ones.
export const EMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_REGION: "us-east-1",
} as const;

export type EmulatorTimings = { provisionMs?: number; updateMs?: number; terminateMs?: number };

export type LaunchPlan = {
  mode: "start" | "dev";
  /** Whether to (re)build when the build is missing or older than the sources. */
  build: boolean;
  dataDir: string;
  postgres: { dataDir: string; port: number; database: string } | null;
  oidc: {
    port: number;
    issuer: string;
    clientId: string;
    /** Given by OIDC_CLIENT_SECRET, or else read from / generated into `clientSecretFile`. */
    clientSecret: string | undefined;
    clientSecretFile: string;
    dataDir: string;
    redirectUris: string[];
    postLogoutRedirectUris: string[];
  } | null;
  emulator: { port: number; stateFile: string; timings: EmulatorTimings } | null;
  /** Set when AUTH_SECRET is absent: the file holding the generated one. */
  authSecretFile: string | null;
  portal: { port: number; appUrl: string; healthUrl: string };
};

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

export function hasAwsTarget(settings: LauncherSettings): boolean {
  return Boolean(settings.AWS_ENDPOINT_URL || settings.AWS_ENDPOINT_URL_SERVICE_CATALOG || settings.AWS_ENDPOINT_URL_STS || settings.AWS_ACCESS_KEY_ID);
}

export function planLaunch(settings: LauncherSettings, flags: LaunchFlags, root: string): LaunchPlan {
  const dataDir = path.resolve(root, settings.DATA_DIR);
  const appUrl = withoutTrailingSlash(settings.APP_URL);
  const timings: EmulatorTimings = {};
  if (settings.EMULATOR_PROVISION_MS !== undefined) timings.provisionMs = settings.EMULATOR_PROVISION_MS;
  if (settings.EMULATOR_UPDATE_MS !== undefined) timings.updateMs = settings.EMULATOR_UPDATE_MS;
  if (settings.EMULATOR_TERMINATE_MS !== undefined) timings.terminateMs = settings.EMULATOR_TERMINATE_MS;

  return {
    mode: flags.dev ? "dev" : "start",
    build: flags.build && !flags.dev,
    dataDir,
    postgres: settings.DATABASE_URL ? null : { dataDir: path.join(dataDir, "postgres"), port: settings.EMBEDDED_POSTGRES_PORT, database: EMBEDDED_DATABASE },
    oidc: settings.OIDC_ISSUER
      ? null
      : {
          port: settings.LOCAL_OIDC_PORT,
          issuer: `http://localhost:${settings.LOCAL_OIDC_PORT}`,
          clientId: settings.OIDC_CLIENT_ID,
          clientSecret: settings.OIDC_CLIENT_SECRET,
          clientSecretFile: path.join(dataDir, "oidc", "client-secret"),
          dataDir: path.join(dataDir, "oidc"),
          // next-auth's callback for the provider id "oidc" (lib/auth/options.ts).
          redirectUris: [`${appUrl}/api/auth/callback/oidc`],
          postLogoutRedirectUris: [appUrl, `${appUrl}/`, `${appUrl}/signin`, `${appUrl}/signin?signedOut=1`],
        },
    emulator: hasAwsTarget(settings) ? null : { port: settings.EMULATOR_PORT, stateFile: path.join(dataDir, "emulator-state.json"), timings },
    authSecretFile: settings.AUTH_SECRET ? null : path.join(dataDir, "auth-secret"),
    portal: { port: settings.PORT, appUrl, healthUrl: `http://127.0.0.1:${settings.PORT}/api/health` },
  };
}

/** What the started parts contribute to the portal's environment. */
export type ResolvedParts = {
  databaseUrl: string;
  oidc: { issuer: string; clientSecret: string } | null;
  emulatorUrl: string | null;
  authSecret: string;
};

/**
 * The portal process's environment: the launcher's own, plus what the embedded parts resolved.
 * Settings the person gave are kept; the launcher only fills in what was absent.
 */
export function composePortalEnvironment(
  base: Record<string, string | undefined>,
  settings: LauncherSettings,
  plan: LaunchPlan,
  resolved: ResolvedParts,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;

  env.DATABASE_URL = resolved.databaseUrl;
  env.OIDC_CLIENT_ID = settings.OIDC_CLIENT_ID;
  if (resolved.oidc) {
    env.OIDC_ISSUER = resolved.oidc.issuer;
    env.OIDC_CLIENT_SECRET = resolved.oidc.clientSecret;
  }
  env.AUTH_SECRET = resolved.authSecret;
  // next-auth v4 builds its URLs from NEXTAUTH_URL.
  env.NEXTAUTH_URL = plan.portal.appUrl;
  env.APP_URL = plan.portal.appUrl;
  env.PORT = String(plan.portal.port);

  if (resolved.emulatorUrl) {
    env.AWS_ENDPOINT_URL = resolved.emulatorUrl;
    Object.assign(env, EMULATOR_CREDENTIALS);
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
  }
  // Never wait on (or leak to) an EC2 instance metadata service for credentials.
  env.AWS_EC2_METADATA_DISABLED = "true";

  env.NODE_ENV = plan.mode === "dev" ? "development" : "production";
  env.NEXT_TELEMETRY_DISABLED = "1";
  return env;
}
