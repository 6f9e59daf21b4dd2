/**
 * One PostgreSQL server for the whole test run. With DATABASE_URL set the tests use that server
 * (CI runs them once against the machine's PostgreSQL); otherwise one embedded server is started
 * here and stopped after the run. Test files get their own databases from
 * `test/support/database.ts`.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { processEnvironment } from "./lib/env";
import { dropTestDatabases } from "./test/support/database";
import { startEmbeddedTestPostgres, type EmbeddedServer } from "./test/support/embedded-postgres";

export default async function setup(project: TestProject) {
  const prefix = `qm_test_${randomBytes(3).toString("hex")}`;
  const external = processEnvironment().DATABASE_URL?.trim();
  let embedded: EmbeddedServer | undefined;
  // Always started, even for a run of pure unit tests: it costs about a second, and vitest needs
  // the value before any file runs.
  const serverUrl = external || (embedded = await startEmbeddedTestPostgres()).url;

  project.provide("testDatabaseServerUrl", serverUrl);
  project.provide("testDatabasePrefix", prefix);

  return async () => {
    await dropTestDatabases(serverUrl, prefix).catch((err) => console.error("could not drop the test databases:", err));
    await embedded?.stop();
  };
}
