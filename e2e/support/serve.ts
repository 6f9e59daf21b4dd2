/**
 * Starts the real launcher for the end-to-end tests in local demo mode with a throw-away data
 * directory (fresh embedded PostgreSQL, emulator state and OIDC keys each run) and emulator timings
 * fast enough for tests but slow enough that "in progress" is visible. Refuses a non-local
 * DATABASE_URL; production settings of the surrounding shell (an AWS profile, say) are left out.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { productionSettingsIn } from "../../lib/env";
import { baseURL, e2ePorts } from "./ports";

const dataDir = ".data/e2e";
const env: Record<string, string | undefined> = { ...process.env };

if (env.DATABASE_URL) {
  const host = new URL(env.DATABASE_URL).hostname;
  if (!["localhost", "127.0.0.1", "::1"].includes(host)) {
    console.error(`Refusing to run end-to-end tests against a non-local database (${host}).`);
    process.exit(1);
  }
}
// The e2e run owns its database (the launcher's migrations create the tables), sign-in and AWS.
for (const name of productionSettingsIn(env)) delete env[name];

rmSync(dataDir, { recursive: true, force: true });

const child = spawn("npx", ["tsx", "launcher/main.ts"], {
  stdio: "inherit",
  env: {
    ...env,
    QUARTERMASTER_MODE: "local",
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    APP_URL: baseURL,
    PORT: String(e2ePorts.portal),
    LOCAL_OIDC_PORT: String(e2ePorts.oidc),
    EMULATOR_PORT: String(e2ePorts.emulator),
    EMBEDDED_POSTGRES_PORT: String(e2ePorts.postgres),
    LOG_LEVEL: env.LOG_LEVEL ?? "warn",
    EMULATOR_PROVISION_MS: "2500",
    EMULATOR_UPDATE_MS: "2500",
    EMULATOR_TERMINATE_MS: "1500",
    RECONCILE_INTERVAL_SECONDS: "30",
    AWS_EC2_METADATA_DISABLED: "true",
  },
});

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
