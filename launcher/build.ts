/**
 * `next build` when the build is missing or older than its sources, so `npm start` on a fresh
 * clone builds once and later starts are quick.
 */
import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { log, pipeWithPrefix } from "./log";
import type { Part } from "./supervisor";

/** What the production build is made from (relative to the project root). */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "types",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "prisma/schema.prisma",
];

const ignored = (relative: string) => relative === path.join("lib", "generated") || /\.test\.tsx?$/.test(relative);

/** The newest modification time under `entry` (0 if absent), and which file it was. */
async function newest(root: string, relative: string): Promise<{ mtimeMs: number; file: string }> {
  if (ignored(relative)) return { mtimeMs: 0, file: relative };
  let info;
  try {
    info = await stat(path.join(root, relative));
  } catch {
    return { mtimeMs: 0, file: relative };
  }
  if (!info.isDirectory()) return { mtimeMs: info.mtimeMs, file: relative };
  let best = { mtimeMs: 0, file: relative };
  for (const entry of await readdir(path.join(root, relative))) {
    const candidate = await newest(root, path.join(relative, entry));
    if (candidate.mtimeMs > best.mtimeMs) best = candidate;
  }
  return best;
}

export async function buildStatus(root: string): Promise<{ needed: boolean; reason: string }> {
  let built: number;
  try {
    built = (await stat(path.join(root, ".next", "BUILD_ID"))).mtimeMs;
  } catch {
    return { needed: true, reason: "no build yet" };
  }
  for (const input of BUILD_INPUTS) {
    const { mtimeMs, file } = await newest(root, input);
    if (mtimeMs > built) return { needed: true, reason: `${file} changed since the last build` };
  }
  return { needed: false, reason: "the build is up to date" };
}

/** Runs `next build`, its output prefixed; registered as a part so Ctrl-C stops it too. */
export function runBuild(root: string, env: Record<string, string>, track: (part: Part) => () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    pipeWithPrefix(child.stdout, "[build]", (line) => console.log(line));
    pipeWithPrefix(child.stderr, "[build]", (line) => console.error(line));
    const untrack = track({
      name: "build",
      stop: () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once("exit", () => done());
          child.kill("SIGTERM");
        }),
    });
    child.once("error", (err) => {
      untrack();
      reject(new Error(`could not run next build: ${err.message}`));
    });
    child.once("exit", (code, signal) => {
      untrack();
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${signal ?? `exit code ${code}`}); see the [build] lines above`));
    });
  });
}

export async function buildIfNeeded(root: string, env: Record<string, string>, track: (part: Part) => () => void): Promise<void> {
  const { needed, reason } = await buildStatus(root);
  if (!needed) {
    log.info(`build: skipped, ${reason}`);
    return;
  }
  log.info(`build: running next build (${reason})`);
  const started = Date.now();
  await runBuild(root, env, track);
  log.info(`build: done in ${Math.round((Date.now() - started) / 1000)} s`);
}
