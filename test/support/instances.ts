/**
 * Portal instances as real child processes (test/support/worker-instance.ts): started with the
 * parent's settings, read through their JSON log lines, stopped or found dead.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export type Instance = {
  process: ChildProcessWithoutNullStreams;
  /** Its JSON lines (stdout), in order. */
  lines: Record<string, unknown>[];
  /** Everything it wrote, stdout and stderr, as text (to look for what must never be logged). */
  output(): string;
  /** Resolves once its workers run (or, with --no-workers, once it takes commands). */
  ready: Promise<void>;
  /** Resolves with the signal or exit code when the process ends ("SIGKILL" when it was killed). */
  exited: Promise<NodeJS.Signals | number | null>;
  startedAt: number;
  /** Sends one command line (see worker-instance.ts). */
  command(value: unknown): void;
};

export function startInstance({ args = [], env = {} }: { args?: string[]; env?: Record<string, string> } = {}): Instance {
  const startedAt = Date.now();
  const child = spawn(`${root}node_modules/.bin/tsx`, ["--conditions=react-server", "test/support/worker-instance.ts", ...args], {
    cwd: root,
    env: { ...process.env, JOBS_ENABLED: "true", LOG_LEVEL: "info", RECONCILE_INTERVAL_SECONDS: "3600", ...env },
  });
  const lines: Record<string, unknown>[] = [];
  let text = "";
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  // tsx runs the script in a node process of its own and exits with 128 + n when that one dies of signal n.
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? (code === 137 ? "SIGKILL" : code))));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === "worker instance ready") resolve();
      } catch {
        // not a log line
      }
    });
    void exited.then((how) => reject(new Error(`worker instance exited (${how}) before it was ready: ${text.slice(-2000)}`)));
  });
  ready.catch(() => {});
  return {
    process: child,
    lines,
    output: () => text,
    ready,
    exited,
    startedAt,
    command: (value) => child.stdin.write(`${JSON.stringify(value)}\n`),
  };
}

export async function stopInstance(instance: Instance): Promise<void> {
  if (instance.process.exitCode !== null || instance.process.signalCode !== null) return;
  instance.process.kill("SIGTERM");
  await Promise.race([instance.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (instance.process.exitCode === null && instance.process.signalCode === null) instance.process.kill("SIGKILL");
}
