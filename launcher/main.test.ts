/**
 * `npm start` as an operator runs it: the real launcher in its own process. With any production
 * setting it must stop at once, naming what production mode still needs, and start nothing: no
 * embedded PostgreSQL, no demo identity provider, no AWS emulator.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "qm-launcher-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PRODUCTION_REQUIRED = ["DATABASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_SECRET", "AUTH_SECRET", "APP_URL", "AWS_ENDUSER_ROLE_ARN", "AWS_ADMIN_ROLE_ARN"];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

type Run = { code: number | null; output: string; dataDirUsed: boolean; portsOpened: string[] };

/**
 * Runs the launcher with exactly `settings` (plus ports and a data directory of its own), watching
 * the ports its stand-ins would open while it runs. Stops it if it has not exited within 30 s.
 */
async function launch(settings: Record<string, string>): Promise<Run> {
  const dataDir = mkdtempSync(path.join(scratch, "data-"));
  const ports = { portal: await freePort(), oidc: await freePort(), emulator: await freePort(), postgres: await freePort() };
  const child = spawn(process.execPath, ["--import", "tsx", "launcher/main.ts", "--no-build"], {
    cwd: root,
    // Nothing inherited: the test's own environment may hold settings of its own (CI's DATABASE_URL).
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      NODE_ENV: "production",
      AWS_EC2_METADATA_DISABLED: "true",
      DATA_DIR: dataDir,
      PORT: String(ports.portal),
      LOCAL_OIDC_PORT: String(ports.oidc),
      EMULATOR_PORT: String(ports.emulator),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      ...settings,
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const portsOpened = new Set<string>();
  let running = true;
  const watching = (async () => {
    while (running) {
      for (const [part, port] of Object.entries(ports)) if (await accepts(port)) portsOpened.add(part);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const timer = setTimeout(() => process.kill(-child.pid!, "SIGTERM"), 30_000);
  const code = await exited;
  clearTimeout(timer);
  running = false;
  await watching;
  return { code, output, dataDirUsed: existsSync(dataDir) && readdirSync(dataDir).length > 0, portsOpened: [...portsOpened] };
}

const realSettings: Record<string, string>[] = [
  { AWS_PROFILE: "someprofile" },
  { AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token" },
  { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/quartermaster" },
  { AWS_ACCESS_KEY_ID: "AKIAREALKEYEXAMPLE0", AWS_SECRET_ACCESS_KEY: "real-secret" },
  { DATABASE_URL: "postgresql://quartermaster@db.internal:5432/quartermaster" },
  { OIDC_ISSUER: "https://login.example.org/realms/research" },
  { AWS_ENDUSER_ROLE_ARN: "arn:aws:iam::210987654321:role/ServiceCatalogEndusers" },
];

describe("npm start with production settings", () => {
  for (const settings of realSettings) {
    const names = Object.keys(settings);
    it(`with only ${names.join(" and ")} it names what production mode still needs and starts nothing`, { timeout: 40_000 }, async () => {
      const run = await launch(settings);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain(`Invalid configuration for production mode (${names.join(", ")} ${names.length === 1 ? "is" : "are"} set)`);
      for (const missing of PRODUCTION_REQUIRED.filter((name) => !names.includes(name))) {
        expect(run.output).toContain(`${missing} is required but not set`);
      }
      expect(run.portsOpened, run.output).toEqual([]);
      expect(run.dataDirUsed, run.output).toBe(false);
      expect(run.output).not.toMatch(/ready on|starting local stand-ins/);
    });
  }

  it("QUARTERMASTER_MODE=production with nothing else names every missing setting", { timeout: 40_000 }, async () => {
    const run = await launch({ QUARTERMASTER_MODE: "production" });
    expect(run.code, run.output).toBe(1);
    for (const missing of PRODUCTION_REQUIRED) expect(run.output).toContain(`${missing} is required but not set`);
    expect(run.portsOpened).toEqual([]);
    expect(run.dataDirUsed).toBe(false);
  });

  it("QUARTERMASTER_MODE=local with an AWS profile is refused, naming the profile", { timeout: 40_000 }, async () => {
    const run = await launch({ QUARTERMASTER_MODE: "local", AWS_PROFILE: "someprofile" });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain("QUARTERMASTER_MODE=local, but production settings are set");
    expect(run.output).toContain("AWS_PROFILE is a production setting");
    expect(run.portsOpened).toEqual([]);
    expect(run.dataDirUsed).toBe(false);
  });
});
