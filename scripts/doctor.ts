/**
 * `npm run doctor`: checks the settings `npm start` would use in production mode, and everything
 * they point at (database, OIDC provider, AWS roles and catalog), printing ✓/✗ with the fix for
 * each ✗. Exit status 1 when anything failed. See docs/production.md.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatChecks, runDoctor } from "../lib/services/doctor";
import { processEnvironment } from "../lib/env";

const root = fileURLToPath(new URL("..", import.meta.url));
const checks = await runDoctor(processEnvironment(), { migrationsDir: path.join(root, "prisma", "migrations") });
console.log(formatChecks(checks));
const failed = checks.filter((c) => c.status === "fail").length;
console.log(failed ? `\n${failed} check(s) failed.` : "\nEverything the portal needs is in place.");
process.exit(failed ? 1 : 0);
