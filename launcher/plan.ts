/**
 * What `npm start` will run, decided from the settings alone (no I/O): in local mode the embedded
 * stand-ins and where they keep their data, in production mode none at all; and the environment
 * the portal process gets.
 */
import path from "node:path";
import type { LauncherSettings, Mode } from "../lib/env";
import { oidcRedirectUri } from "../lib/domain/callback-url";

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
  /** Local: stand-ins for everything. Production: nothing is started in place of a setting. */
  mode: Mode;
  /** `next start` or `next dev`. */
  command: "start" | "dev";
  /** Whether to (re)build when the build is missing or older than the sources. */
  build: boolean;
  dataDir: string;
  postgres: { dataDir: string; port: number; database: string } | null;
  oidc: {
    port: number;
    issuer: string;
    clientId: string;
    /** Read from / generated into this file on the first start. */
    clientSecretFile: string;
    dataDir: string;
    redirectUris: string[];
    postLogoutRedirectUris: string[];
  } | null;
  emulator: { port: number; stateFile: string; timings: EmulatorTimings } | null;
  /** Set when AUTH_SECRET is absent (local mode only): the file holding the generated one. */
  authSecretFile: string | null;
  portal: { port: number; appUrl: string; healthUrl: string };
};

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

export function planLaunch(settings: LauncherSettings, flags: LaunchFlags, root: string): LaunchPlan {
  const dataDir = path.resolve(root, settings.DATA_DIR);
  const appUrl = withoutTrailingSlash(settings.APP_URL);
  const shared = {
    command: flags.dev ? ("dev" as const) : ("start" as const),
    build: flags.build && !flags.dev,
    dataDir,
    portal: { port: settings.PORT, appUrl, healthUrl: `http://127.0.0.1:${settings.PORT}/api/health` },
  };
  if (settings.QUARTERMASTER_MODE === "production") {
    return { ...shared, mode: "production", postgres: null, oidc: null, emulator: null, authSecretFile: null };
  }

  const timings: EmulatorTimings = {};
  if (settings.EMULATOR_PROVISION_MS !== undefined) timings.provisionMs = settings.EMULATOR_PROVISION_MS;
  if (settings.EMULATOR_UPDATE_MS !== undefined) timings.updateMs = settings.EMULATOR_UPDATE_MS;
  if (settings.EMULATOR_TERMINATE_MS !== undefined) timings.terminateMs = settings.EMULATOR_TERMINATE_MS;
  return {
    ...shared,
    mode: "local",
    postgres: { dataDir: path.join(dataDir, "postgres"), port: settings.EMBEDDED_POSTGRES_PORT, database: EMBEDDED_DATABASE },
    oidc: {
      port: settings.LOCAL_OIDC_PORT,
      issuer: `http://localhost:${settings.LOCAL_OIDC_PORT}`,
      clientId: settings.OIDC_CLIENT_ID,
      clientSecretFile: path.join(dataDir, "oidc", "client-secret"),
      dataDir: path.join(dataDir, "oidc"),
      // next-auth's callback for the provider id "oidc" (lib/auth/options.ts).
      redirectUris: [oidcRedirectUri(appUrl)],
      postLogoutRedirectUris: [appUrl, `${appUrl}/`, `${appUrl}/signin`, `${appUrl}/signin?signedOut=1`],
    },
    emulator: { port: settings.EMULATOR_PORT, stateFile: path.join(dataDir, "emulator-state.json"), timings },
    authSecretFile: settings.AUTH_SECRET ? null : path.join(dataDir, "auth-secret"),
  };
}

/**
 * What the console says once a local launch is up: loud, because a local demo must never be
 * mistaken for the real thing (public passwords, a fake AWS).
 */
export function localModeNotice(plan: LaunchPlan): string[] {
  const rule = "=".repeat(78);
  return [
    rule,
    "LOCAL DEMO MODE: everything runs on this machine. Not for real data.",
    `  database  embedded PostgreSQL in ${plan.postgres?.dataDir ?? "?"} (local-only password)`,
    `  sign-in   demo identity provider on ${plan.oidc?.issuer ?? "?"}; its passwords are public`,
    '            (alice@example.org, bob@example.org, admin@example.org; password "demo")',
    `  AWS       the local emulator on http://127.0.0.1:${plan.emulator?.port ?? "?"}, not an AWS account;`,
    "            nothing launched here exists in AWS",
    "Any production setting (DATABASE_URL, OIDC_ISSUER, AWS credentials or profile, ...) switches to",
    'production mode, which starts none of this (README: "Local demo mode and production mode").',
    rule,
  ];
}

/** What the started parts contribute to the portal's environment. */
export type ResolvedParts = {
  databaseUrl: string;
  oidc: { issuer: string; clientSecret: string } | null;
  emulatorUrl: string | null;
  authSecret: string;
};

/**
 * The portal process's environment: the launcher's own, plus what the embedded parts resolved,
 * and the mode, always explicit. In production mode every AWS setting passes through untouched,
 * so the SDK's default credential chain (profile, web identity, container, instance) works.
 */
export function composePortalEnvironment(
  base: Record<string, string | undefined>,
  settings: LauncherSettings,
  plan: LaunchPlan,
  resolved: ResolvedParts,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;

  env.QUARTERMASTER_MODE = plan.mode;
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

  if (plan.mode === "local") {
    if (!resolved.emulatorUrl) throw new Error("local mode needs the AWS emulator");
    // The emulator, with its own keys: explicit credentials, so the SDK's default chain is never
    // consulted, and never an EC2 instance metadata service.
    env.AWS_ENDPOINT_URL = resolved.emulatorUrl;
    Object.assign(env, EMULATOR_CREDENTIALS);
    env.AWS_EC2_METADATA_DISABLED = "true";
  }

  env.NODE_ENV = plan.command === "dev" ? "development" : "production";
  env.NEXT_TELEMETRY_DISABLED = "1";
  // The portal stops itself on SIGTERM (lib/shutdown.ts: requests in flight finish, workers stop,
  // the pool closes) instead of Next's handler, which exits once its server has closed.
  env.NEXT_MANUAL_SIG_HANDLE = "true";
  return env;
}
