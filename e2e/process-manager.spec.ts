/**
 * `npm start` under a process manager: systemd, Docker and Kubernetes stop a service by sending
 * SIGTERM to its main process only. That process is npm; the start script `exec`s the launcher
 * (no shell, no tsx wrapper in between), so npm hands the signal to the launcher, which stops the
 * portal, the OIDC provider, the emulator and PostgreSQL in order; npm exits after it. A launch in
 * flight when the signal arrives still gets its answer (the portal stops taking connections, its
 * workers stop taking jobs, requests under way finish, then the pool closes). Nothing of the tree
 * may be left running, and every port must be free again.
 */
import { expect, test, type APIResponse } from "@playwright/test";
import { spawn, execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import { productionSettingsIn } from "../lib/env";
import { e2ePorts } from "./support/ports";
import { signIn } from "./support/users";

// After the production-mode spec's three ports (base + 4 .. base + 6).
const ports = { portal: e2ePorts.portal + 7, oidc: e2ePorts.portal + 8, emulator: e2ePorts.portal + 9, postgres: e2ePorts.portal + 10 };
const dataDir = ".data/e2e-process-manager";

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** The processes of a process group (ps; empty once every member has exited). */
const groupMembers = (pgid: number) => {
  try {
    return execFileSync("ps", ["-o", "pid=,args=", "-g", String(pgid)], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return []; // ps exits 1 when nothing matches
  }
};

test("SIGTERM to the npm start process alone lets a launch in flight finish, then stops every part: no process left, every port free", async ({ browser }) => {
  test.setTimeout(180_000);
  rmSync(dataDir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of productionSettingsIn(env)) delete env[name];
  let output = "";
  // Its own process group (detached), as a service manager would start it: the group is what we
  // inspect afterwards; the signal goes to npm's pid only.
  const npm = spawn("npm", ["start", "--", "--no-build"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...env,
      QUARTERMASTER_MODE: "local",
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      APP_URL: `http://localhost:${ports.portal}`,
      PORT: String(ports.portal),
      LOCAL_OIDC_PORT: String(ports.oidc),
      EMULATOR_PORT: String(ports.emulator),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      LOG_LEVEL: "info",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  });
  npm.stdout!.on("data", (d) => (output += d));
  npm.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  try {
    await expect.poll(() => output, { timeout: 120_000, intervals: [500] }).toContain("portal ready");
    for (const port of Object.values(ports)) expect(await listening(port), `port ${port} before`).toBe(true);
    const members = groupMembers(npm.pid!);
    expect(members.some((m) => m.includes("postgres")), members.join("\n")).toBe(true);
    expect(members.some((m) => m.includes("next-server") || m.includes("next/dist/bin/next")), members.join("\n")).toBe(true);

    // alice signs in to this portal and launches; AWS takes 4 s to answer the ProvisionProduct.
    const appUrl = `http://localhost:${ports.portal}`;
    const context = await browser.newContext({ baseURL: appUrl });
    const page = await context.newPage();
    await signIn(page, "alice");
    await expect(page).toHaveURL(`${appUrl}/products`);
    const catalog = (await (await page.request.get("/api/catalog")).json()) as { products: { productId: string; name: string }[] };
    const bucket = catalog.products.find((p) => p.name === "S3 Private Encrypted Bucket")!;
    const detail = (await (await page.request.get(`/api/catalog/${bucket.productId}`)).json()) as { defaultVersionId: string; launchPaths: { id: string }[] };
    const slow = await page.request.post(`http://127.0.0.1:${ports.emulator}/_emulator/faults`, { data: { latencyMs: 4000, operations: ["ProvisionProduct"] } });
    expect(slow.ok()).toBe(true);
    const launch: Promise<APIResponse> = page.request.post("/api/products", {
      headers: { origin: appUrl, "content-type": "application/json" },
      data: { name: "in-flight-at-sigterm", productId: bucket.productId, provisioningArtifactId: detail.defaultVersionId, pathId: detail.launchPaths[0]?.id, parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" }, tags: [], tagOptions: { ManagedBy: "Quartermaster" } },
      timeout: 30_000,
    });
    await page.waitForTimeout(1500); // the launch is waiting for AWS now

    process.kill(npm.pid!, "SIGTERM");
    const answered = await launch;
    expect(answered.status(), await answered.text()).toBe(201);
    await context.close();
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 60_000))]);
    expect(code, output.slice(-2000)).not.toBe("timeout");
    expect(output).toContain("received SIGTERM, stopping");
    expect(output).toContain("postgres stopped");
    expect(output).toContain('"msg":"stopping: no new connections, workers stop taking jobs"');
    expect(output).toContain('"msg":"stopped"');
    // npm exits once the launcher has; give the last children a moment to be reaped.
    await expect.poll(() => groupMembers(npm.pid!), { timeout: 10_000 }).toEqual([]);
    for (const port of Object.values(ports)) expect(await listening(port), `port ${port} after`).toBe(false);
  } finally {
    try {
      process.kill(-npm.pid!, "SIGKILL"); // only if the test failed half-way
    } catch {
      // already gone
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
