import { loadConfig } from "./config";
import { startEmulator } from "./server";

/** `npm run emulator`: the emulator alone, until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const timings = {
    ...(config.EMULATOR_PROVISION_MS !== undefined ? { provisionMs: config.EMULATOR_PROVISION_MS } : {}),
    ...(config.EMULATOR_UPDATE_MS !== undefined ? { updateMs: config.EMULATOR_UPDATE_MS } : {}),
    ...(config.EMULATOR_TERMINATE_MS !== undefined ? { terminateMs: config.EMULATOR_TERMINATE_MS } : {}),
  };
  const emulator = await startEmulator({
    port: config.EMULATOR_PORT,
    host: config.EMULATOR_HOST,
    timings,
    ...(config.EMULATOR_STATE_FILE ? { stateFile: config.EMULATOR_STATE_FILE } : {}),
    ...(config.EMULATOR_CATALOG_DIR ? { catalogDir: config.EMULATOR_CATALOG_DIR } : {}),
    ...(config.EMULATOR_ROLE_EXTERNAL_ID ? { roleExternalId: config.EMULATOR_ROLE_EXTERNAL_ID } : {}),
    ...(config.EMULATOR_ROLE_TRUST_ACTIONS ? { trustActions: config.EMULATOR_ROLE_TRUST_ACTIONS } : {}),
  });
  console.log(`emulator ready on ${emulator.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`emulator: ${signal}, stopping`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
