/**
 * Every setting Quartermaster reads, in zod schemas. Nothing else reads `process.env`.
 *
 * Quartermaster runs in one of two modes, decided here and nowhere else (`decideMode`):
 * - **local** (the local demo): `npm start` with no production setting at all. The launcher starts
 *   stand-ins (embedded PostgreSQL, the demo identity provider with public passwords, the AWS
 *   emulator) and every page says "Local demo mode".
 * - **production**: chosen by `QUARTERMASTER_MODE=production` or by any production setting being
 *   present (`productionSettingsIn`). Nothing is started in its place: a missing setting stops the
 *   start, naming it. An operator who configured one real thing must never end up, silently, on a
 *   stand-in for another (a fake AWS they believe real, sign-in with public demo passwords).
 *
 * Two views of the settings, each per mode:
 * - launcher settings: what `npm start` accepts (local mode: only ports, timings and the like).
 * - portal settings: what the portal process needs once the launcher resolved the stand-ins. The
 *   portal defaults to production mode when `QUARTERMASTER_MODE` is absent (fail safe); the
 *   launcher always passes it.
 * Both are checked when a process starts, with a message naming each bad or missing variable.
 */
import { z } from "zod";

export const MODES = ["local", "production"] as const;
export type Mode = (typeof MODES)[number];

/** The emulator's roles: the defaults in local mode, meaningless in a real account. */
export const DEFAULT_ENDUSER_ROLE_ARN = "arn:aws:iam::123456789012:role/ServiceCatalogEndusers";
export const DEFAULT_ADMIN_ROLE_ARN = "arn:aws:iam::123456789012:role/ServiceCatalogAdmins";

/**
 * Where the AWS SDK's default credential chain finds credentials (environment keys, a profile, web
 * identity, container credentials). The portal never reads most of these itself; any of them says
 * "real AWS" and therefore production mode.
 */
export const AWS_CREDENTIAL_SOURCES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
] as const;

/** What production mode cannot start without, in the order the messages name them. */
export const PRODUCTION_REQUIRED = ["DATABASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_SECRET", "AUTH_SECRET", "APP_URL", "AWS_ENDUSER_ROLE_ARN", "AWS_ADMIN_ROLE_ARN"] as const;

const csv = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== "" ? s.trim() : undefined));

const port = z.coerce.number().int().min(1).max(65535);

const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");

const databaseUrl = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL");
const authSecret = z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)");
const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL in production mode (secure cookies, HSTS)" });

/** Settings every process reads the same way in both modes. */
const common = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Set by the launcher for the portal (Next's own variable): the portal stops itself on SIGTERM (lib/shutdown.ts), not Next. */
  NEXT_MANUAL_SIG_HANDLE: z
    .string()
    .optional()
    .transform((v) => Boolean(v && v !== "false")),
  PORT: port.default(3000),
  /** Where the embedded parts keep their data (PostgreSQL cluster, emulator state, secrets). */
  DATA_DIR: z.string().default(".data"),
  /**
   * Connections each portal process may open to PostgreSQL for its pages and API (pg-boss has its
   * own 10). At least as many as the requests one process serves at once: a request that waits for
   * a connection waits behind others' whole turns on the event loop (lib/db.ts).
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),

  ADMIN_GROUP: z.string().min(1).default("quartermaster-admins"),
  ADMIN_EMAILS: csv.default([]).transform((list) => list.map((e) => e.toLowerCase())),
  /** Template parameters the portal fills with the owner's AWS principal (lib/domain/ownership.ts); users may not set them. */
  OWNER_BOUND_PARAMETERS: csv.default(["OwnerPrincipalArn"]),
  /** The template parameter listing the principals a product is shared with (lib/domain/sharing.ts). */
  SHARING_PARAMETER: z.string().regex(/^[A-Za-z0-9]+$/, "must be a template parameter name (letters and digits)").default("S3UserARNs"),
  /**
   * Accounts a product may be shared with: 12-digit account ids, or `*` for any account (data may
   * then leave the organisation). Unset: the end-user role's own account (sharingAllowedAccounts).
   */
  SHARING_ALLOWED_ACCOUNTS: csv
    .default([])
    .refine((list) => list.every((a) => a === "*" || /^\d{12}$/.test(a)), "must list 12-digit account ids, or * for any account"),
  /** Tag keys the portal sets itself; users may not set or override them (case-insensitive). */
  RESERVED_TAG_KEYS: csv.default(["OwnerEmail", "Department", "Project"]).refine((l) => l.length > 0, "must list at least one key"),

  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1").default("us-east-1"),
  /** Seconds a user's assumed-role session lasts (STS allows 900..43200, capped by the role). */
  AWS_SESSION_DURATION_SECONDS: z.coerce.number().int().min(900).max(43200).default(3600),

  OIDC_CLIENT_ID: z.string().min(1).default("quartermaster"),
  /** Background jobs (status tracking, reconciliation) run in every portal process unless off. */
  JOBS_ENABLED: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(10).default(300),
  /** Proxies in front of the portal that append the caller's address to X-Forwarded-For (lib/api/with-user.ts). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  /** Per-person budgets, shared by every instance (lib/services/rate-limits.ts): a burst of this many, refilled over a minute. */
  RATE_LIMIT_LAUNCHES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  RATE_LIMIT_PREVIEWS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  RATE_LIMIT_NAME_CHECKS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /**
   * Refused attempts (outcome DENIED) recorded in the append-only audit log per person: a burst of
   * this many, refilled over an hour; beyond it an attempt is only logged (lib/services/audit.ts).
   */
  AUDIT_DENIED_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(100),
};

/** Which AWS the portal talks to, and as whom (its base credentials serve only sts:AssumeRole). */
const awsTarget = {
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  /** Endpoint overrides (the local emulator, or a VPC endpoint). */
  AWS_ENDPOINT_URL: optionalString.pipe(z.url().optional()),
  AWS_ENDPOINT_URL_SERVICE_CATALOG: optionalString.pipe(z.url().optional()),
  AWS_ENDPOINT_URL_STS: optionalString.pipe(z.url().optional()),
  AWS_ROLE_EXTERNAL_ID: optionalString,
};

/** Local mode: the portal on this machine, the emulator's roles. */
const localDefaults = {
  QUARTERMASTER_MODE: z.literal("local"),
  /** Public URL of the portal; next-auth builds its callback URLs from it. */
  APP_URL: z.url().default("http://localhost:3000"),
  AWS_ENDUSER_ROLE_ARN: roleArn.default(DEFAULT_ENDUSER_ROLE_ARN),
  AWS_ADMIN_ROLE_ARN: roleArn.default(DEFAULT_ADMIN_ROLE_ARN),
};

/** Production mode: nothing is filled in; the portal is reached over https only. */
const productionRequired = {
  QUARTERMASTER_MODE: z.literal("production"),
  DATABASE_URL: databaseUrl,
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_SECRET: z.string().min(1),
  AUTH_SECRET: authSecret,
  APP_URL: httpsUrl,
  AWS_ENDUSER_ROLE_ARN: roleArn,
  AWS_ADMIN_ROLE_ARN: roleArn,
};

/** Half a key pair would make the SDK skip the keys and silently use another credential source. */
function keysComeInPairs(settings: { AWS_ACCESS_KEY_ID?: string; AWS_SECRET_ACCESS_KEY?: string; AWS_SESSION_TOKEN?: string }, ctx: z.RefinementCtx) {
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = settings;
  if (id && !secret) ctx.addIssue({ code: "custom", path: ["AWS_SECRET_ACCESS_KEY"], message: "must be set together with AWS_ACCESS_KEY_ID" });
  if (secret && !id) ctx.addIssue({ code: "custom", path: ["AWS_ACCESS_KEY_ID"], message: "must be set together with AWS_SECRET_ACCESS_KEY" });
  if (token && !(id && secret)) ctx.addIssue({ code: "custom", path: ["AWS_SESSION_TOKEN"], message: "needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" });
}

const localPortalSchema = z.object({
  ...common,
  ...awsTarget,
  ...localDefaults,
  DATABASE_URL: databaseUrl,
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_SECRET: z.string().min(1),
  AUTH_SECRET: authSecret,
  // Always explicit (the emulator's keys): the SDK's default chain is never consulted locally.
  AWS_ACCESS_KEY_ID: optionalString.pipe(z.string()),
  AWS_SECRET_ACCESS_KEY: optionalString.pipe(z.string()),
});

const productionPortalSchema = z.object({ ...common, ...awsTarget, ...productionRequired }).superRefine(keysComeInPairs);

const localLauncherSchema = z.object({
  ...common,
  ...localDefaults,
  AUTH_SECRET: optionalString.pipe(authSecret.optional()),
  /** Port of the embedded PostgreSQL. */
  EMBEDDED_POSTGRES_PORT: port.default(5488),
  /** Port of the local OIDC provider. */
  LOCAL_OIDC_PORT: port.default(3001),
  /** Port of the local AWS emulator. */
  EMULATOR_PORT: port.default(4566),
  /** How long the local emulator takes to provision, update and terminate (ms); its own defaults when unset. */
  EMULATOR_PROVISION_MS: z.coerce.number().int().min(0).optional(),
  EMULATOR_UPDATE_MS: z.coerce.number().int().min(0).optional(),
  EMULATOR_TERMINATE_MS: z.coerce.number().int().min(0).optional(),
});

const productionLauncherSchema = productionPortalSchema;

export type PortalEnv = z.infer<typeof localPortalSchema> | z.infer<typeof productionPortalSchema>;
export type LauncherSettings = z.infer<typeof localLauncherSchema> | z.infer<typeof productionLauncherSchema>;
export type LocalLauncherSettings = z.infer<typeof localLauncherSchema>;
export type ProductionSettings = z.infer<typeof productionLauncherSchema>;

export class EnvError extends Error {
  constructor(
    public readonly issues: string[],
    heading = "Invalid configuration",
    advice?: string,
  ) {
    super(`${heading}:\n${issues.map((i) => `  - ${i}`).join("\n")}${advice ? `\n${advice}` : ""}`);
    this.name = "EnvError";
  }
}

type Source = Record<string, string | undefined>;

const given = (source: Source, name: string) => Boolean(source[name]?.trim());

/** An APP_URL for this machine over http is what local mode uses; any other is a deployment's. */
function isLocalAppUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}

/**
 * The production settings present in `source`, by name: anything that points at a real database,
 * identity provider or AWS account. Ports, DATA_DIR, LOG_LEVEL, the emulator's timings and an
 * http://localhost APP_URL are not among them (the local demo and the tests set those).
 */
export function productionSettingsIn(source: Source): string[] {
  const names: string[] = [];
  for (const name of ["DATABASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_SECRET", ...AWS_CREDENTIAL_SOURCES]) {
    if (given(source, name)) names.push(name);
  }
  // Every endpoint override the SDK knows: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.
  for (const name of Object.keys(source).sort()) {
    if (name.startsWith("AWS_ENDPOINT_URL") && given(source, name)) names.push(name);
  }
  if (given(source, "AWS_ENDUSER_ROLE_ARN") && source.AWS_ENDUSER_ROLE_ARN!.trim() !== DEFAULT_ENDUSER_ROLE_ARN) names.push("AWS_ENDUSER_ROLE_ARN");
  if (given(source, "AWS_ADMIN_ROLE_ARN") && source.AWS_ADMIN_ROLE_ARN!.trim() !== DEFAULT_ADMIN_ROLE_ARN) names.push("AWS_ADMIN_ROLE_ARN");
  if (given(source, "AWS_ROLE_EXTERNAL_ID")) names.push("AWS_ROLE_EXTERNAL_ID");
  if (given(source, "APP_URL") && !isLocalAppUrl(source.APP_URL!.trim())) names.push("APP_URL");
  return names;
}

export type ModeDecision = {
  mode: Mode;
  /** The production settings that are set (empty in local mode). */
  productionSettings: string[];
  /** Why this mode, for the start-up log and error messages. */
  reason: string;
};

/**
 * Local or production, from the settings alone. `QUARTERMASTER_MODE` decides when set (and `local`
 * refuses any production setting); unset, production iff any production setting is present.
 */
export function decideMode(source: Source): ModeDecision {
  const explicit = source.QUARTERMASTER_MODE?.trim() || undefined;
  const productionSettings = productionSettingsIn(source);
  if (explicit !== undefined && !(MODES as readonly string[]).includes(explicit)) {
    throw new EnvError([`QUARTERMASTER_MODE: must be "local" or "production", not "${explicit}"`]);
  }
  if (explicit === "local") {
    if (productionSettings.length > 0) {
      throw new EnvError(
        productionSettings.map((name) => `${name} is a production setting`),
        "QUARTERMASTER_MODE=local, but production settings are set",
        "Local mode uses only local stand-ins (embedded PostgreSQL, demo sign-in, AWS emulator). Unset these, or set QUARTERMASTER_MODE=production.",
      );
    }
    return { mode: "local", productionSettings, reason: "QUARTERMASTER_MODE=local" };
  }
  if (explicit === "production") return { mode: "production", productionSettings, reason: "QUARTERMASTER_MODE=production" };
  if (productionSettings.length > 0) {
    return { mode: "production", productionSettings, reason: `${productionSettings.join(", ")} ${productionSettings.length === 1 ? "is" : "are"} set` };
  }
  return { mode: "local", productionSettings, reason: "no production setting is set" };
}

function issuesOf(error: z.ZodError, source: Source): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join(".") || "(settings)";
    const missing = issue.code === "invalid_type" && !given(source, name);
    return missing ? `${name} is required but not set` : `${name}: ${issue.message}`;
  });
}

function parseWith<S extends z.ZodType>(schema: S, source: Source, heading?: string, advice?: string): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(issuesOf(result.error, source), heading, advice);
}

const PRODUCTION_ADVICE =
  "Production mode never starts the local stand-ins (embedded PostgreSQL, demo sign-in, AWS emulator): set each of these. " +
  "For the local demo, run npm start with no production settings at all (see README, \"Local demo mode and production mode\").";

/** The portal's settings. `QUARTERMASTER_MODE` absent means production: a portal never guesses local. */
export function parsePortalEnv(source: Source): PortalEnv {
  const mode = source.QUARTERMASTER_MODE?.trim() || "production";
  if (mode === "local") return parseWith(localPortalSchema, { ...source, QUARTERMASTER_MODE: mode });
  if (mode === "production") return parseWith(productionPortalSchema, { ...source, QUARTERMASTER_MODE: mode }, "Invalid configuration for production mode", PRODUCTION_ADVICE);
  throw new EnvError([`QUARTERMASTER_MODE: must be "local" or "production", not "${mode}"`]);
}

/** What `npm start` was given: the mode decided, and everything production mode requires checked. */
export function parseLauncherSettings(source: Source): LauncherSettings {
  const { mode, reason } = decideMode(source);
  if (mode === "local") return parseWith(localLauncherSchema, { ...source, QUARTERMASTER_MODE: mode });
  return parseWith(productionLauncherSchema, { ...source, QUARTERMASTER_MODE: mode }, `Invalid configuration for production mode (${reason})`, PRODUCTION_ADVICE);
}

/** `npm run db:migrate` needs the database and nothing else, in either mode. */
export function parseMigrationSettings(source: Source): { DATABASE_URL: string } {
  return parseWith(z.object({ DATABASE_URL: databaseUrl }), source);
}

let cached: PortalEnv | undefined;

/** The portal's settings, parsed once from process.env. Throws EnvError naming bad variables. */
export function env(): PortalEnv {
  cached ??= parsePortalEnv(process.env);
  return cached;
}

/** The raw environment, for the launcher which passes it on to child processes. */
export function processEnvironment(): Source {
  return process.env;
}
