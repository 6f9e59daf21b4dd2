/**
 * `npm start` / `npm run dev`: the whole of Quartermaster from one command. In local mode (no
 * production setting at all) it starts local stand-ins (PostgreSQL, demo OIDC provider, AWS
 * emulator), then the portal; in production mode only the portal, once every required setting is
 * there (lib/env.ts decides the mode). One process tree; Ctrl-C stops the portal first and the
 * database last.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "../lib/db/migrate";
import { decideMode, EnvError, parseLauncherSettings, parsePortalEnv, processEnvironment, type LauncherSettings, type ModeDecision } from "../lib/env";
import { buildIfNeeded } from "./build";
import { log } from "./log";
import { startEmbeddedPostgres } from "./parts/postgres";
import { startEmulatorPart } from "./parts/emulator";
import { startOidcPart } from "./parts/oidc";
import { assertPortalCanStart, startPortal } from "./parts/portal";
import { composePortalEnvironment, localModeNotice, parseFlags, planLaunch, UsageError, type LaunchFlags } from "./plan";
import { randomSecret, readOrCreate } from "./secrets";
import { Supervisor } from "./supervisor";

const root = fileURLToPath(new URL("..", import.meta.url));

function readConfiguration(): { flags: LaunchFlags; settings: LauncherSettings; decision: ModeDecision } {
  try {
    const flags = parseFlags(process.argv.slice(2));
    // Before anything starts: in production mode a missing setting stops here, named.
    const settings = parseLauncherSettings(processEnvironment());
    return { flags, settings, decision: decideMode(processEnvironment()) };
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
  const { flags, settings, decision } = readConfiguration();
  const plan = planLaunch(settings, flags, root);
  log.info(
    plan.mode === "local"
      ? `local demo mode (${decision.reason}): starting local stand-ins for the database, sign-in and AWS`
      : `production mode (${decision.reason}): no local stand-ins are started`,
  );
  const track = (part: Parameters<Supervisor["add"]>[0]) => {
    supervisor.add(part);
    return () => supervisor.remove(part);
  };

  let databaseUrl = settings.QUARTERMASTER_MODE === "production" ? settings.DATABASE_URL : undefined;
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
  } else if (settings.QUARTERMASTER_MODE === "production") {
    log.info(`oidc: using OIDC_ISSUER ${settings.OIDC_ISSUER}`);
  }

  let emulatorUrl: string | null = null;
  if (plan.emulator) {
    const emulator = supervisor.add(await startEmulatorPart(plan.emulator));
    emulatorUrl = emulator.url;
    log.info(`emulator ready on ${emulator.url}`);
  } else if (settings.QUARTERMASTER_MODE === "production") {
    const credentials = settings.AWS_ACCESS_KEY_ID ? "AWS_ACCESS_KEY_ID" : "the SDK's default credential chain (profile, web identity, container or instance credentials)";
    const endpoint = settings.AWS_ENDPOINT_URL ?? settings.AWS_ENDPOINT_URL_SERVICE_CATALOG ?? `AWS in ${settings.AWS_REGION}`;
    log.info(`aws: ${endpoint}, base credentials from ${credentials}`);
  }

  let authSecret = settings.AUTH_SECRET;
  if (plan.authSecretFile) {
    authSecret = (await readOrCreate(plan.authSecretFile, () => randomSecret(48, "base64"))).value;
    log.info(`auth: using the generated secret in ${plan.authSecretFile}`);
  }

  const env = composePortalEnvironment(processEnvironment(), settings, plan, { databaseUrl: databaseUrl!, oidc, emulatorUrl, authSecret: authSecret! });
  parsePortalEnv(env); // the portal would refuse to start anyway; say so now, naming the variable
  await assertPortalCanStart(root, plan);

  if (plan.build) await buildIfNeeded(root, env, track);
  else if (plan.command === "start") log.info("build: skipped (--no-build)");

  await startPortal(root, plan, env, track);
  log.info(`portal ready on ${plan.portal.appUrl}${plan.mode === "local" ? " (local demo mode)" : ""}`);
  if (plan.mode === "local") log.banner(localModeNotice(plan));
}

const supervisor = new Supervisor();
supervisor.handleSignals();
main(supervisor).catch((err) => supervisor.fail(err instanceof EnvError ? err.message : err));
