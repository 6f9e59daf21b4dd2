import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StateFile } from "../core/store";

const dir = mkdtempSync(path.join(tmpdir(), "qm-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the state file under a stream of changes", () => {
  it("writes a state that is slow to write less often, and still writes the last change", async () => {
    const file = path.join(dir, "state.json");
    let version = 0;
    let writes = 0;
    // A state that takes 10 ms to serialise (a big one): every write waits 20 × that after the last.
    const store = new StateFile(file, () => {
      writes++;
      const until = performance.now() + 10;
      while (performance.now() < until);
      return { version };
    });
    const started = performance.now();
    while (performance.now() - started < 1000) {
      version++;
      store.changed();
      await sleep(5);
    }
    // Every 50 ms (the plain debounce) would be ~16 writes in that second; 200 ms apart at most 6.
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writes).toBeLessThanOrEqual(6);
    await sleep(1100);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ version });
  });

  it("writes a small state shortly after it changes", async () => {
    const file = path.join(dir, "small.json");
    const store = new StateFile(file, () => ({ small: true }));
    store.changed();
    await sleep(150);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ small: true });
  });
});
