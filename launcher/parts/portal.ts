/**
 * The portal itself: `next start` (or `next dev`) as a child process with the composed
 * environment, ready once /api/health answers 200.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { LaunchPlan } from "../plan";
import type { Part } from "../supervisor";

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

/** Fail before a minute of `next build` rather than after it when the port is taken. */
export async function assertPortalCanStart(root: string, plan: LaunchPlan): Promise<void> {
  const port = plan.portal.port;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === "EADDRINUSE" ? `port ${port} is in use; stop what runs there or set PORT (and APP_URL)` : `cannot listen on port ${port}: ${err.message}`)),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
  if (plan.command === "start" && !plan.build && !existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("--no-build was given but there is no build yet; run npm start without it once");
  }
}

export async function startPortal(root: string, plan: LaunchPlan, env: Record<string, string>, track: (part: Part) => void): Promise<Part> {
  const command = plan.command;
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), command, "-p", String(plan.portal.port)], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    // The portal's own (JSON) logs go straight to our output.
    stdio: ["ignore", "inherit", "inherit"],
  });

  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const ended = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(`exited (${signal ?? `code ${code}`})`);
    });
    child.once("error", (err) => resolve(`could not be started: ${err.message}`));
  });

  const part: Part = {
    name: "portal",
    ended,
    stop: async () => {
      if (exit) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await ended;
      clearTimeout(timer);
    },
  };
  track(part);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`portal (next ${command}) exited before it was ready (${exit.signal ?? `code ${exit.code}`}); see its output above`);
    try {
      const response = await fetch(plan.portal.healthUrl, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return part;
    } catch {
      // not listening yet
    }
    await Promise.race([new Promise((r) => setTimeout(r, 500)), ended]);
  }
  throw new Error(`portal did not answer 200 on ${plan.portal.healthUrl} within ${READY_TIMEOUT_MS / 1000} s`);
}
