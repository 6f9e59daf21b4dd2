/**
 * The launcher's own output: plain lines prefixed `[launcher]`, one readiness line per part, so a
 * person (or a test harness) can follow start-up. The portal's JSON logs pass through untouched.
 */
import type { Readable } from "node:stream";

export const log = {
  info: (message: string) => console.log(`[launcher] ${message}`),
  warn: (message: string) => console.warn(`[launcher] warning: ${message}`),
  error: (message: string) => console.error(`[launcher] error: ${message}`),
  /** A block that must not be missed (the local demo mode notice). */
  banner: (lines: string[]) => console.log(lines.map((line) => `[launcher] ${line}`).join("\n")),
};

/** Copy a child's output line by line, each line prefixed. */
export function pipeWithPrefix(stream: Readable | null, prefix: string, write: (line: string) => void): void {
  if (!stream) return;
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split(/\r?\n/);
    buffered = lines.pop() ?? "";
    for (const line of lines) write(`${prefix} ${line}`);
  });
  stream.on("end", () => {
    if (buffered) write(`${prefix} ${buffered}`);
  });
}
