/**
 * Runs once when a portal server process starts: validate every setting (fail fast, naming the bad
 * variable) and start the background jobs.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  const settings = env();
  if (settings.JOBS_ENABLED) {
    const { startWorkers } = await import("@/lib/jobs/workers");
    await startWorkers();
  }
}
