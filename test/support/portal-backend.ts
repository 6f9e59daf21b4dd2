/**
 * The portal's server side for integration tests: a fresh database, a local emulator over HTTP,
 * and process.env pointing the portal's own settings at them. Import services only after
 * `startPortalBackend()` (they read settings on first use).
 */
import { startEmulator } from "@/emulator/server";
import { createTestDatabase, type TestDatabase } from "./database";

export const EMULATOR_KEYS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

export type PortalBackend = {
  database: TestDatabase;
  emulatorUrl: string;
  control(path: string, init?: RequestInit): Promise<unknown>;
  close(): Promise<void>;
};

export async function startPortalBackend(
  timings = { provisionMs: 150, updateMs: 150, terminateMs: 100 },
  options: {
    /** A PostgreSQL server of the test's own (e.g. one it stops), instead of the run's. */
    databaseServerUrl?: string;
    /** A catalog of the test's own (see `catalogWith`), instead of catalog/. */
    catalogDir?: string;
  } = {},
): Promise<PortalBackend> {
  const database = await createTestDatabase(options.databaseServerUrl ? { serverUrl: options.databaseServerUrl } : {});
  const emulator = await startEmulator({ port: 0, timings, ...(options.catalogDir ? { catalogDir: options.catalogDir } : {}) });
  Object.assign(process.env, {
    NODE_ENV: "test",
    // Explicit: the portal assumes production when the mode is not given.
    QUARTERMASTER_MODE: "local",
    DATABASE_URL: database.url,
    OIDC_ISSUER: "http://localhost:3001",
    OIDC_CLIENT_SECRET: "test-secret",
    AUTH_SECRET: "integration-tests-secret-0123456789abcdef",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: EMULATOR_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_KEYS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
    LOG_LEVEL: "silent",
    JOBS_ENABLED: "false",
    // Tests launch many products as one person; the budgets have a test file of their own.
    RATE_LIMIT_LAUNCHES_PER_MINUTE: "10000",
    RATE_LIMIT_PREVIEWS_PER_MINUTE: "10000",
    RATE_LIMIT_NAME_CHECKS_PER_MINUTE: "10000",
  });
  const control = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
    if (!response.ok) throw new Error(`emulator ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    database,
    emulatorUrl: emulator.url,
    control,
    async close() {
      const { db } = await import("@/lib/db");
      await db.$disconnect().catch(() => {});
      const { stopBoss } = await import("@/lib/jobs/boss");
      await stopBoss().catch(() => {});
      await emulator.close();
      await database.drop();
    },
  };
}
