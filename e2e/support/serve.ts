/**
 * Starts the real launcher for the end-to-end tests with a throw-away data directory (fresh
 * embedded PostgreSQL, emulator state and OIDC keys each run) and emulator timings fast enough
 * for tests but slow enough that "in progress" is visible. Refuses a non-local DATABASE_URL.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

const dataDir = ".data/e2e";
const env: Record<string, string | undefined> = { ...process.env };

if (env.DATABASE_URL) {
  const host = new URL(env.DATABASE_URL).hostname;
  if (!["localhost", "127.0.0.1", "::1"].includes(host)) {
    console.error(`Refusing to run end-to-end tests against a non-local database (${host}).`);
    process.exit(1);
  }
  // The e2e run owns its database; the launcher's migrations create the tables.
  delete env.DATABASE_URL;
}

rmSync(dataDir, { recursive: true, force: true });

const child = spawn("npx", ["tsx", "launcher/main.ts"], {
  stdio: "inherit",
  env: {
    ...env,
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: env.E2E_POSTGRES_PORT ?? "5499",
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
