/**
 * Runs once when a portal server process starts: validate every setting (fail fast, naming the bad
 * variable), take over SIGTERM/SIGINT for a graceful stop (lib/shutdown.ts) and start the
 * background jobs.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const settings = env();
  const { installGracefulShutdown, SHUTDOWN_GRACE_MS } = await import("@/lib/shutdown");
  const { stopBoss } = await import("@/lib/jobs/boss");
  const { db } = await import("@/lib/db");
  installGracefulShutdown({ enabled: settings.NEXT_MANUAL_SIG_HANDLE, stopWorkers: () => stopBoss({ graceful: true, timeoutMs: SHUTDOWN_GRACE_MS }), closePools: () => db.$disconnect() });
  if (settings.JOBS_ENABLED) {
    const { startWorkers } = await import("@/lib/workers");
    await startWorkers();
  }
}
