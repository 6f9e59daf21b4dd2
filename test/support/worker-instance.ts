/**
 * A second (third, …) portal instance for the tests, reduced to what matters for the jobs: its
 * own process, its own pg-boss connection and AWS sessions, the same database and AWS. Settings
 * come from the parent's environment. Prints "worker instance ready" once its workers run, then
 * its JSON log lines; stops on SIGTERM.
 *
 *   tsx --conditions=react-server test/support/worker-instance.ts [options]
 *
 * Options, for tests that kill a portal at a chosen moment:
 *   --no-workers                  do not start the background workers
 *   --kill-before <Operation>=<n> SIGKILL itself just before the n-th <Operation> request is sent
 *   --kill-after <Operation>=<n>  SIGKILL itself as soon as the n-th <Operation> answer arrives
 *                                 (before the code that made the call sees it)
 *   --hold <Operation>=<n>        the n-th and later <Operation> requests are never sent
 * <Operation> is a Service Catalog operation (ProvisionProduct, DescribeRecord, …).
 *
 * It also takes one JSON command per line on stdin, as the portal's route handlers would:
 *   {"launch": {"userId": "…", "request": {…}}}  -> {"msg": "launch answered", name, status} or
 *                                                  {"msg": "launch failed", name, status, message}
 */
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { ServiceCatalogClient } from "@aws-sdk/client-service-catalog";
import { startWorkers } from "@/lib/workers";
import { stopBoss } from "@/lib/jobs/boss";

const { values: options } = parseArgs({
  options: {
    "no-workers": { type: "boolean", default: false },
    "kill-before": { type: "string", multiple: true, default: [] },
    "kill-after": { type: "string", multiple: true, default: [] },
    hold: { type: "string", multiple: true, default: [] },
  },
});

function operationCounts(specs: string[]): Map<string, number> {
  return new Map(
    specs.map((spec) => {
      const [operation, n] = spec.split("=");
      if (!operation || !n || !Number.isInteger(Number(n))) throw new Error(`expected <Operation>=<n>, got "${spec}"`);
      return [operation, Number(n)];
    }),
  );
}

function say(line: Record<string, unknown>) {
  // stdout is a pipe: written synchronously on Linux, so the line is out before a SIGKILL.
  process.stdout.write(`${JSON.stringify({ ...line, pid: process.pid, time: new Date().toISOString() })}\n`);
}

const killBefore = operationCounts(options["kill-before"]);
const killAfter = operationCounts(options["kill-after"]);
const holdFrom = operationCounts(options.hold);
if (killBefore.size || killAfter.size || holdFrom.size) {
  const sent = new Map<string, number>();
  const answered = new Map<string, number>();
  const die = (why: string) => {
    say({ msg: "killing myself", why });
    process.kill(process.pid, "SIGKILL");
  };
  const original = ServiceCatalogClient.prototype.send;
  ServiceCatalogClient.prototype.send = async function (this: ServiceCatalogClient, ...args: unknown[]) {
    const operation = (args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, "");
    const n = (sent.get(operation) ?? 0) + 1;
    sent.set(operation, n);
    if (holdFrom.has(operation) && n >= holdFrom.get(operation)!) {
      say({ msg: "holding request", operation, n });
      await new Promise(() => {});
    }
    if (killBefore.get(operation) === n) die(`before ${operation} request #${n}`);
    const result = await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    const m = (answered.get(operation) ?? 0) + 1;
    answered.set(operation, m);
    if (killAfter.get(operation) === m) die(`after ${operation} answer #${m}`);
    return result;
  } as typeof original;
}

// As in the portal, where Next.js logs an unhandled rejection and carries on rather than exiting.
process.on("unhandledRejection", (reason) => {
  say({ msg: "unhandled rejection", level: 50, error: reason instanceof Error ? reason.message : String(reason) });
});

createInterface({ input: process.stdin }).on("line", (line) => {
  void (async () => {
    const command = JSON.parse(line) as { launch?: { userId: string; request: { name: string } & Record<string, unknown> } };
    if (!command.launch) return;
    const { db } = await import("@/lib/db");
    const { launchProduct } = await import("@/lib/services/provisioning");
    const { name } = command.launch.request;
    try {
      const user = await db.user.findUniqueOrThrow({ where: { id: command.launch.userId } });
      const row = await launchProduct({ user, requestId: `child-${name}` }, command.launch.request);
      say({ msg: "launch answered", name, status: row.status });
    } catch (error) {
      say({ msg: "launch failed", name, status: (error as { status?: number }).status, message: (error as Error).message });
    }
  })();
});

if (!options["no-workers"]) await startWorkers();
say({ msg: "worker instance ready" });

process.on("SIGTERM", () => {
  void stopBoss().finally(() => process.exit(0));
});
