import "server-only";
import { connection } from "next/server";
import { env } from "@/lib/env";

/**
 * On every page of the local demo, signed in or not: nobody should mistake it for the real portal.
 * Read from the settings at request time, never baked into the build (one build serves both modes).
 */
export async function LocalModeFooter() {
  await connection();
  if (env().QUARTERMASTER_MODE !== "local") return null;
  return (
    <footer className="border-t-4 border-amber-500 bg-amber-100 px-4 py-3 text-center text-sm text-amber-950">
      <p>
        <strong className="font-bold">Local demo mode.</strong> Sign-in uses public demo passwords and AWS is a local emulator: nothing here is real or private.
      </p>
    </footer>
  );
}
