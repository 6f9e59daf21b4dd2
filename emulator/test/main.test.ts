import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("npm run emulator", () => {
  it("prints one readiness line, serves, and exits cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts"], {
      cwd: root,
      env: { ...process.env, EMULATOR_PORT: "0", EMULATOR_PROVISION_MS: "100" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    const ready = new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^emulator ready on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
    });
    const url = await ready;
    const health = await (await fetch(`${url}/_emulator/health`)).json();
    expect(health.status).toBe("ok");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
  });
});

describe("emulator settings", () => {
  it("defaults to 127.0.0.1:4566 and names a bad variable", () => {
    expect(loadConfig({})).toMatchObject({ EMULATOR_PORT: 4566, EMULATOR_HOST: "127.0.0.1" });
    expect(loadConfig({ EMULATOR_PORT: "", EMULATOR_UPDATE_MS: "25" })).toMatchObject({ EMULATOR_PORT: 4566, EMULATOR_UPDATE_MS: 25 });
    expect(() => loadConfig({ EMULATOR_PORT: "http" })).toThrow(/EMULATOR_PORT/);
  });
});
