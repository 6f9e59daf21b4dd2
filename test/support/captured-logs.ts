/**
 * The portal's logger writing into memory instead of stdout, for tests that assert what was (or
 * was not) logged. In the test file:
 *   vi.mock("@/lib/logger", async (original) => (await import("@/test/support/captured-logs")).loggerWritingToMemory(await original()));
 */
import { Writable } from "node:stream";

const chunks: string[] = [];

export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export function loggerWritingToMemory(actual: typeof import("@/lib/logger")): typeof import("@/lib/logger") {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = actual.createLogger({ level: "debug", destination });
  return { ...actual, logger, requestLogger: (requestId) => logger.child({ requestId: requestId ?? undefined }) };
}

/** Everything written so far, exactly as it would have reached stdout. */
export function rawLogs(): string {
  return chunks.join("");
}

export function logLines(): LogLine[] {
  return rawLogs()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

export function clearLogs(): void {
  chunks.length = 0;
}
