import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built on first request (settings are validated at start-up, not at build time).
async function handler(request: NextRequest, context: Context) {
  return NextAuth(request, context, authOptions());
}

/**
 * next-auth's browser code posts its own errors to /api/auth/_log, which anyone can call without
 * signing in; next-auth would write the posted level, code and metadata to the server's logs.
 * Browser-side errors are not the server's to log: accept and drop them.
 */
async function post(request: NextRequest, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.length === 1 && nextauth[0] === "_log") return new Response(null, { status: 204 });
  return handler(request, context);
}

export { handler as GET, post as POST };
