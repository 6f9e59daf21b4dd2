/**
 * The local AWS emulator (Service Catalog + STS), run in the launcher's process in local mode.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EmulatorTimings, LaunchPlan } from "../plan";
import type { Part } from "../supervisor";

/** What `emulator/server.ts` exports. */
type EmulatorModule = {
  startEmulator(options: { port: number; host?: string; stateFile?: string; timings?: EmulatorTimings }): Promise<{ url: string; port: number; close(): Promise<void> }>;
};

const EMULATOR_MODULE = new URL("../../emulator/server.ts", import.meta.url);

export type EmulatorPart = Part & { url: string };

export async function startEmulatorPart(plan: NonNullable<LaunchPlan["emulator"]>): Promise<EmulatorPart> {
  if (!existsSync(fileURLToPath(EMULATOR_MODULE))) {
    throw new Error(
      `the AWS emulator is missing (${fileURLToPath(EMULATOR_MODULE)} not found). ` +
        "Local mode needs it; production mode (see README) uses real AWS instead.",
    );
  }
  // A computed specifier: the emulator is loaded only when it is needed.
  const { startEmulator } = (await import(EMULATOR_MODULE.href)) as EmulatorModule;
  if (typeof startEmulator !== "function") throw new Error(`${fileURLToPath(EMULATOR_MODULE)} does not export startEmulator()`);
  try {
    const emulator = await startEmulator({ port: plan.port, host: "127.0.0.1", stateFile: plan.stateFile, timings: plan.timings });
    return { name: "emulator", url: emulator.url, stop: () => emulator.close() };
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === "EADDRINUSE";
    throw new Error(
      inUse
        ? `AWS emulator could not listen on port ${plan.port}: it is in use (set EMULATOR_PORT)`
        : `AWS emulator did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
