import { afterEach, describe, expect, it, vi } from "vitest";
import { Supervisor, type Part } from "./supervisor";

function fakePart(name: string, order: string[], ended?: Promise<string>): Part {
  return { name, ended, stop: async () => void order.push(name) };
}

describe("Supervisor", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stops the parts newest first and exits 0 on shutdown", async () => {
    const exit = vi.fn();
    const order: string[] = [];
    const supervisor = new Supervisor(exit);
    for (const name of ["postgres", "oidc", "emulator", "portal"]) supervisor.add(fakePart(name, order));
    vi.spyOn(console, "log").mockImplementation(() => {});
    await supervisor.shutdown(0);
    expect(order).toEqual(["portal", "emulator", "oidc", "postgres"]);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("stops everything and exits 1 when a part ends on its own", async () => {
    vi.useFakeTimers();
    try {
      const exit = vi.fn();
      const order: string[] = [];
      const supervisor = new Supervisor(exit);
      vi.spyOn(console, "log").mockImplementation(() => {});
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      let die!: (why: string) => void;
      supervisor.add(fakePart("postgres", order));
      supervisor.add(fakePart("portal", order, new Promise((resolve) => (die = resolve))));
      die("exited (code 1)");
      await vi.advanceTimersByTimeAsync(1_000);
      expect(exit).toHaveBeenCalledWith(1);
      expect(order).toEqual(["portal", "postgres"]);
      expect(errors.mock.calls.flat().join("\n")).toContain("portal exited (code 1)");
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not call an exit during shutdown a failure", async () => {
    const exit = vi.fn();
    const supervisor = new Supervisor(exit);
    vi.spyOn(console, "log").mockImplementation(() => {});
    let die!: (why: string) => void;
    supervisor.add({ name: "portal", ended: new Promise((r) => (die = r)), stop: async () => die("exited (SIGTERM)") });
    await supervisor.shutdown(0);
    await new Promise((r) => setTimeout(r, 900));
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("exits 1 when a part cannot be stopped", async () => {
    const exit = vi.fn();
    const supervisor = new Supervisor(exit);
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    supervisor.add({ name: "emulator", stop: async () => Promise.reject(new Error("stuck")) });
    await supervisor.shutdown(0);
    expect(exit).toHaveBeenCalledWith(1);
  });
});
