/**
 * Every setting Quartermaster reads, in one zod schema. Nothing else reads `process.env`.
 *
 * Two views of the same settings:
 * - `launcherSettingsSchema`: what `npm start` accepts. Database, OIDC provider and AWS endpoint
 *   may be absent; the launcher then starts embedded stand-ins and fills them in.
 * - `portalEnvSchema`: what the portal process needs once those are resolved.
 * Both are checked when a process starts, with a message naming the bad variable.
 */
import { z } from "zod";

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

const shared = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Public URL of the portal; next-auth builds its callback URLs from it. */
  APP_URL: z.url().default("http://localhost:3000"),
  PORT: port.default(3000),
  /** Where the embedded parts keep their data (PostgreSQL cluster, emulator state, secrets). */
  DATA_DIR: z.string().default(".data"),

  ADMIN_GROUP: z.string().min(1).default("quartermaster-admins"),
  ADMIN_EMAILS: csv.default([]).transform((list) => list.map((e) => e.toLowerCase())),
  /** Tag keys the portal sets itself; users may not set or override them (case-insensitive). */
  RESERVED_TAG_KEYS: csv.default(["OwnerEmail", "Department", "Project"]).refine((l) => l.length > 0, "must list at least one key"),

  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1").default("us-east-1"),
  /** Portal base credentials: used only to call sts:AssumeRole. */
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  AWS_SESSION_TOKEN: optionalString,
  /** Endpoint overrides (the local emulator, or a VPC endpoint). */
  AWS_ENDPOINT_URL: optionalString.pipe(z.url().optional()),
  AWS_ENDPOINT_URL_SERVICE_CATALOG: optionalString.pipe(z.url().optional()),
  AWS_ENDPOINT_URL_STS: optionalString.pipe(z.url().optional()),
  AWS_ENDUSER_ROLE_ARN: roleArn.default("arn:aws:iam::123456789012:role/ServiceCatalogEndusers"),
  AWS_ADMIN_ROLE_ARN: roleArn.default("arn:aws:iam::123456789012:role/ServiceCatalogAdmins"),
  AWS_ROLE_EXTERNAL_ID: optionalString,
  /** Seconds a user's assumed-role session lasts (STS allows 900..43200, capped by the role). */
  AWS_SESSION_DURATION_SECONDS: z.coerce.number().int().min(900).max(43200).default(3600),

  OIDC_CLIENT_ID: z.string().min(1).default("quartermaster"),
  /** Background jobs (status tracking, reconciliation) run in every portal process unless off. */
  JOBS_ENABLED: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(10).default(300),
};

export const portalEnvSchema = z.object({
  ...shared,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL"),
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_SECRET: z.string().min(1),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)"),
});

export const launcherSettingsSchema = z.object({
  ...shared,
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL").optional(),
  ),
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_SECRET: optionalString,
  AUTH_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  ),
  /** Port of the embedded PostgreSQL (started only when DATABASE_URL is absent). */
  EMBEDDED_POSTGRES_PORT: port.default(5488),
  /** Port of the local OIDC provider (started only when OIDC_ISSUER is absent). */
  LOCAL_OIDC_PORT: port.default(3001),
  /** Port of the local AWS emulator (started only when no AWS endpoint or credentials are set). */
  EMULATOR_PORT: port.default(4566),
  /** How long the local emulator takes to provision, update and terminate (ms); its own defaults when unset. */
  EMULATOR_PROVISION_MS: z.coerce.number().int().min(0).optional(),
  EMULATOR_UPDATE_MS: z.coerce.number().int().min(0).optional(),
  EMULATOR_TERMINATE_MS: z.coerce.number().int().min(0).optional(),
});

export type PortalEnv = z.infer<typeof portalEnvSchema>;
export type LauncherSettings = z.infer<typeof launcherSettingsSchema>;

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

type Source = Record<string, string | undefined>;

function parseWith<S extends z.ZodType>(schema: S, source: Source): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = issue.path.join(".") || "(settings)";
      const missing = issue.code === "invalid_type" && source[name] === undefined;
      return missing ? `${name} is required but not set` : `${name}: ${issue.message}`;
    }),
  );
}

export function parsePortalEnv(source: Source): PortalEnv {
  return parseWith(portalEnvSchema, source);
}

export function parseLauncherSettings(source: Source): LauncherSettings {
  return parseWith(launcherSettingsSchema, source);
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
