/**
 * The portal as `npm start` runs it (production build, `next start`), in local mode: embedded
 * PostgreSQL (or DATABASE_URL's server), the AWS emulator with short provisioning times, the
 * local OIDC provider. A throw-away data directory each run; stopped with SIGTERM like any service.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { productionSettingsIn } from "../lib/env";

export type BenchPortal = { url: string; emulatorUrl: string; databaseUrl: string; authSecret: string; stop(): Promise<void> };

export const BENCH_AUTH_SECRET = "bench-only-secret-bench-only-secret-bench-only";

export async function startBenchPortal({ portBase, dataDir, extraEnv = {}, log }: { portBase: number; dataDir: string; extraEnv?: Record<string, string>; log: (line: string) => void }): Promise<BenchPortal> {
  rmSync(dataDir, { recursive: true, force: true });
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of productionSettingsIn(env)) delete env[name];
  const ports = { portal: portBase, oidc: portBase + 1, emulator: portBase + 2, postgres: portBase + 3 };
  const url = `http://localhost:${ports.portal}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "launcher/main.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...env,
      QUARTERMASTER_MODE: "local",
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      APP_URL: url,
      PORT: String(ports.portal),
      LOCAL_OIDC_PORT: String(ports.oidc),
      EMULATOR_PORT: String(ports.emulator),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      AUTH_SECRET: BENCH_AUTH_SECRET,
      LOG_LEVEL: "warn",
      EMULATOR_PROVISION_MS: "1500",
      EMULATOR_UPDATE_MS: "1500",
      EMULATOR_TERMINATE_MS: "1000",
      // Reconciliation compares the database with AWS; the seeded products exist in the database only.
      RECONCILE_INTERVAL_SECONDS: "86400",
      // 200 launches by 50 people in one go is the point of one scenario; the per-person budget would refuse it.
      RATE_LIMIT_LAUNCHES_PER_MINUTE: "100000",
      AWS_EC2_METADATA_DISABLED: "true",
      ...extraEnv,
    } as NodeJS.ProcessEnv,
  });
  let output = "";
  const onData = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 600_000;
  while (!output.includes("portal ready")) {
    if (child.exitCode !== null) throw new Error(`the portal did not start:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the portal was not ready within 10 minutes:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`portal ready on ${url}`);
  return {
    url,
    emulatorUrl: `http://127.0.0.1:${ports.emulator}`,
    // The embedded server's superuser and password (launcher/parts/postgres.ts).
    databaseUrl: `postgresql://postgres:quartermaster@127.0.0.1:${ports.postgres}/quartermaster`,
    authSecret: BENCH_AUTH_SECRET,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
