import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";

/**
 * The state file: JSON written atomically (temporary file + rename) shortly after each mutation,
 * and once more on close, so a crash never leaves half a file.
 */
export class StateFile<T> {
  private timer: NodeJS.Timeout | undefined;

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

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.snapshot()));
    renameSync(temporary, this.file);
  }
}
