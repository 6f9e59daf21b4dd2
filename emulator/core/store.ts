import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

/** The longest a change waits to be written (see `changed`). */
const MAX_WAIT_MS = 1000;

/**
 * The state file: JSON written atomically (temporary file + rename) shortly after each mutation,
 * and once more on close, so a crash never leaves half a file.
 */
export class StateFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private lastWriteMs = 0;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => T,
    private readonly debounceMs = 50,
  ) {}

  load(): T | undefined {
    if (!existsSync(this.file)) return undefined;
    const text = readFileSync(this.file, "utf8");
    if (text.trim() === "") return undefined;
    return JSON.parse(text) as T;
  }

  /**
   * Writes the state shortly after a change: after `debounceMs`, or 20 times as long as the last
   * write took when that is longer (at most a second), so that writing a big state under a stream
   * of changes takes at most about 5% of the emulator's time (it took 45% of it in the bench's 200
   * launches at once, holding up the very calls that changed it).
   */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.min(MAX_WAIT_MS, Math.max(this.debounceMs, 20 * this.lastWriteMs)));
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const started = performance.now();
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.snapshot()));
    renameSync(temporary, this.file);
    this.lastWriteMs = performance.now() - started;
  }
}
