/**
 * `npm start` / `npm run dev`: the whole of Quartermaster from one command. Whatever the settings
 * leave out is started locally (PostgreSQL, OIDC provider, AWS emulator), then the portal.
 * One process tree; Ctrl-C stops the portal first and the database last.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "../lib/db/migrate";
import { EnvError, parseLauncherSettings, parsePortalEnv, processEnvironment, type LauncherSettings } from "../lib/env";
import { buildIfNeeded } from "./build";
import { log } from "./log";
import { startEmbeddedPostgres } from "./parts/postgres";
import { startEmulatorPart } from "./parts/emulator";
import { startOidcPart } from "./parts/oidc";
import { assertPortalCanStart, startPortal } from "./parts/portal";
import { composePortalEnvironment, parseFlags, planLaunch, UsageError, type LaunchFlags } from "./plan";
import { randomSecret, readOrCreate } from "./secrets";
import { Supervisor } from "./supervisor";

const root = fileURLToPath(new URL("..", import.meta.url));

function readConfiguration(): { flags: LaunchFlags; settings: LauncherSettings } {
  try {
    return { flags: parseFlags(process.argv.slice(2)), settings: parseLauncherSettings(processEnvironment()) };
  } catch (err) {
    if (err instanceof EnvError || err instanceof UsageError) {
      console.error(`[launcher] ${err.message}`);
      process.exit(err instanceof UsageError ? 2 : 1);
    }
    throw err;
  }
}

const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

async function main(supervisor: Supervisor): Promise<void> {
  const { flags, settings } = readConfiguration();
  const plan = planLaunch(settings, flags, root);
  const track = (part: Parameters<Supervisor["add"]>[0]) => {
    supervisor.add(part);
    return () => supervisor.remove(part);
  };

  let databaseUrl = settings.DATABASE_URL;
  if (plan.postgres) {
    const postgres = supervisor.add(await startEmbeddedPostgres({ ...plan.postgres, onLog: (line) => console.error(`[postgres] ${line}`) }));
    databaseUrl = postgres.url;
    log.info(`postgres ready on ${redact(postgres.url)}${postgres.created ? ` (new cluster in ${plan.postgres.dataDir})` : ""}`);
  } else {
    log.info(`postgres: using DATABASE_URL ${redact(databaseUrl!)}`);
  }

  const { applied, alreadyApplied } = await applyMigrations({ connectionString: databaseUrl!, migrationsDir: path.join(root, "prisma", "migrations") });
  log.info(`migrations: ${applied.length} applied${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied.length} already applied`);

  let oidc: { issuer: string; clientSecret: string } | null = null;
  if (plan.oidc) {
    oidc = supervisor.add(await startOidcPart(plan.oidc, (m) => console.error(`[oidc] ${m}`)));
    log.info(`oidc ready on ${oidc.issuer} (demo users alice@example.org, bob@example.org, admin@example.org; password "demo")`);
  } else {
    log.info(`oidc: using OIDC_ISSUER ${settings.OIDC_ISSUER}`);
  }

  let emulatorUrl: string | null = null;
  if (plan.emulator) {
    const emulator = supervisor.add(await startEmulatorPart(plan.emulator));
    emulatorUrl = emulator.url;
    log.info(`emulator ready on ${emulator.url}`);
  } else {
    log.info(`aws: using ${settings.AWS_ENDPOINT_URL ?? settings.AWS_ENDPOINT_URL_SERVICE_CATALOG ?? "the configured AWS credentials and endpoints"}`);
  }

  let authSecret = settings.AUTH_SECRET;
  if (plan.authSecretFile) {
    authSecret = (await readOrCreate(plan.authSecretFile, () => randomSecret(48, "base64"))).value;
    log.warn(`AUTH_SECRET is not set; using the generated secret in ${plan.authSecretFile}. Production must set AUTH_SECRET.`);
  }

  const env = composePortalEnvironment(processEnvironment(), settings, plan, { databaseUrl: databaseUrl!, oidc, emulatorUrl, authSecret: authSecret! });
  parsePortalEnv(env); // the portal would refuse to start anyway; say so now, naming the variable
  await assertPortalCanStart(root, plan);

  if (plan.build) await buildIfNeeded(root, env, track);
  else if (plan.mode === "start") log.info("build: skipped (--no-build)");

  await startPortal(root, plan, env, track);
  log.info(`portal ready on ${plan.portal.appUrl}`);
}

const supervisor = new Supervisor();
supervisor.handleSignals();
main(supervisor).catch((err) => supervisor.fail(err instanceof EnvError ? err.message : err));
