import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { logger } from "@/lib/logger";

/**
 * How the portal process stops on SIGTERM (a process manager) or SIGINT, taking over from Next's
 * own handler (the launcher sets NEXT_MANUAL_SIG_HANDLE for the portal; without it Next exits
 * as soon as its server has closed and this stays out of the way):
 *   1. stop accepting connections; idle keep-alive connections are closed;
 *   2. the background workers stop taking jobs (a job under way may finish);
 *   3. requests in flight finish, for up to SHUTDOWN_GRACE_MS; then the rest are cut;
 *   4. the database pool and the queue's connections close; exit 0.
 * Node's http diagnostics channel names the server(s) and the requests as they start, which is
 * the only view of Next's server an application gets.
 */
export const SHUTDOWN_GRACE_MS = 8000; // below the launcher's 10 s before SIGKILL

type Closer = () => Promise<void>;

const servers = new Set<Server>();
let inFlight = 0;
let installed = false;

function track(message: unknown) {
  const { server, response } = message as { server: Server; request: IncomingMessage; response: ServerResponse };
  servers.add(server);
  inFlight++;
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    inFlight--;
  };
  response.once("finish", end);
  response.once("close", end);
}

async function drained(deadline: number): Promise<boolean> {
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return inFlight === 0;
}

/** Installs the handlers once per process. `stopWorkers` and `closePools` come from the caller. */
export function installGracefulShutdown({ enabled, stopWorkers, closePools, exit = (code: number) => process.exit(code) }: { enabled: boolean; stopWorkers: Closer; closePools: Closer; exit?: (code: number) => void }): void {
  if (installed || !enabled) return;
  installed = true;
  subscribe("http.server.request.start", track);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    logger.info({ signal, inFlight }, "stopping: no new connections, workers stop taking jobs");
    for (const server of servers) {
      server.close();
      server.closeIdleConnections();
    }
    const workers = stopWorkers().catch((err) => logger.warn({ err }, "workers did not stop cleanly"));
    const finished = await drained(deadline);
    if (!finished) {
      logger.warn({ inFlight }, "requests still running after the grace period; closing their connections");
      for (const server of servers) server.closeAllConnections();
    }
    await Promise.race([workers, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    await closePools().catch((err) => logger.warn({ err }, "could not close the database pool cleanly"));
    logger.info("stopped");
    exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
