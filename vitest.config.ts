import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      { find: /^server-only$/, replacement: `${root}test/empty-module.ts` },
    ],
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**"],
    environment: "node",
    // One PostgreSQL server per run (embedded unless DATABASE_URL is set); see test/support/database.ts.
    globalSetup: ["./vitest.global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites share one PostgreSQL server and one emulator port range; files run in
    // parallel but each creates its own database and emulator instance.
    fileParallelism: true,
    env: { AWS_EC2_METADATA_DISABLED: "true" },
  },
});
