import { defineConfig, devices } from "@playwright/test";
import { baseURL } from "./e2e/support/ports";

const COUNTING_SPECS = /(authorization-matrix|bad-input)\.spec\.ts/;

// End-to-end tests drive Debian's Chromium (Playwright's own browser download is not reachable
// here) against the real launcher: embedded PostgreSQL, local OIDC provider, AWS emulator, portal.

export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"], testIgnore: COUNTING_SPECS },
    // Specs that count the AWS calls people cause run alone, one after the other, after the rest:
    // nobody else's work (launches, their tracking) may run meanwhile.
    { name: "authorization", testMatch: /authorization-matrix\.spec\.ts/, use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["chromium"] },
    { name: "bad-input", testMatch: /bad-input\.spec\.ts/, use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["authorization"] },
  ],
  webServer: {
    command: "npx tsx e2e/support/serve.ts",
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    // Let the launcher stop its parts (portal, OIDC, emulator, PostgreSQL) in order.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
