import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/**
 * Liveness: the process answers, nothing more (no session, no database). Also the benchmark's
 * baseline: what any request to this build costs before the portal's own work.
 */
export function GET() {
  return NextResponse.json({ status: "ok" });
}
