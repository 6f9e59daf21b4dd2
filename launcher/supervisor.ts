/**
 * Keeps the started parts and stops them, newest first, on Ctrl-C / SIGTERM (exit 0) or when a
 * part fails or ends on its own (exit 1).
 */
import { log } from "./log";

/** A started part of the launch: something to stop, and maybe a promise that settles if it ends by itself. */
export type Part = {
  name: string;
  stop(): Promise<void>;
  /** Settles with a description ("exited with code 1") if the part ends without being stopped. */
  ended?: Promise<string>;
};

const STOP_TIMEOUT_MS = 20_000;
// A terminal's Ctrl-C reaches the whole process group: children may exit a moment before our own
// SIGINT handler runs. Wait this long before calling such an exit a failure.
const UNEXPECTED_EXIT_GRACE_MS = 750;

export class Supervisor {
  private parts: Part[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly exit: (code: number) => void = (code) => process.exit(code)) {}

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  add<P extends Part>(part: P): P {
    if (this.stopping) {
      // Finished starting after a stop was requested: stop it too rather than leave it behind.
      void part.stop().catch(() => {});
      return part;
    }
    this.parts.push(part);
    part.ended?.then((why) => {
      if (this.stopping || !this.parts.includes(part)) return;
      setTimeout(() => {
        if (!this.stopping) void this.fail(`${part.name} ${why}`);
      }, UNEXPECTED_EXIT_GRACE_MS);
    });
    return part;
  }

  remove(part: Part): void {
    this.parts = this.parts.filter((p) => p !== part);
  }

  handleSignals(): void {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        if (this.stopping) {
          log.info(`received ${signal} again; still stopping (waiting for the parts to exit)`);
          return;
        }
        log.info(`received ${signal}, stopping`);
        void this.shutdown(0);
      });
    }
    process.on("uncaughtException", (err) => void this.fail(err));
    process.on("unhandledRejection", (err) => void this.fail(err));
  }

  /** Stop everything and exit non-zero, with the reason. */
  async fail(reason: unknown): Promise<void> {
    if (this.stopping) return this.stopping;
    log.error(reason instanceof Error ? reason.message : String(reason));
    return this.shutdown(1);
  }

  shutdown(code: number): Promise<void> {
    this.stopping ??= (async () => {
      for (const part of [...this.parts].reverse()) {
        try {
          await withTimeout(part.stop(), STOP_TIMEOUT_MS, `${part.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
          log.info(`${part.name} stopped`);
        } catch (err) {
          log.error(`stopping ${part.name}: ${err instanceof Error ? err.message : String(err)}`);
          code = code || 1;
        }
      }
      this.parts = [];
      this.exit(code);
    })();
    return this.stopping;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
