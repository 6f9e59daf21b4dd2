/**
 * A second (third, …) portal instance for the tests, reduced to what matters for the jobs: its
 * own process, its own pg-boss connection and AWS sessions, the same database and AWS. Settings
 * come from the parent's environment. Prints "worker instance ready" once its workers run, then
 * its JSON log lines; stops on SIGTERM.
 *
 *   tsx --conditions=react-server test/support/worker-instance.ts
 */
import { startWorkers } from "@/lib/jobs/workers";
import { stopBoss } from "@/lib/jobs/boss";

await startWorkers();
process.stdout.write(`${JSON.stringify({ msg: "worker instance ready", pid: process.pid })}\n`);

process.on("SIGTERM", () => {
  void stopBoss().finally(() => process.exit(0));
});
