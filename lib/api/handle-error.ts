import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, TooManyRequestsError, ValidationError } from "@/lib/errors";
import type { Logger } from "pino";

export type ErrorBody = {
  error: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string };
};

/** The one place errors become responses: known errors keep their status, the rest is a generic 500. */
export function handleApiError(error: unknown, log: Logger, requestId?: string): NextResponse<ErrorBody> {
  if (error instanceof ZodError) error = ValidationError.fromIssues(error.issues);
  if (error instanceof ValidationError) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, issues: capped(error.issues), requestId } },
      { status: error.status },
    );
  }
  if (error instanceof AppError) {
    if (error.status >= 500) log.warn({ err: error }, "upstream failure");
    const headers: Record<string, string> = error instanceof TooManyRequestsError ? { "retry-after": String(error.retryAfterSeconds) } : {};
    return NextResponse.json({ error: { code: error.code, message: error.message, requestId } }, { status: error.status, headers });
  }
  if (isPrismaNotFound(error)) {
    return NextResponse.json({ error: { code: "not_found", message: "Not found.", requestId } }, { status: 404 });
  }
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, "database unavailable");
    return NextResponse.json(
      { error: { code: "unavailable", message: "The portal cannot reach its database right now. Try again in a minute; if it persists, quote the request id.", requestId } },
      { status: 503 },
    );
  }
  log.error({ err: error }, "unhandled error");
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on our side. Try again; if it persists, quote the request id.", requestId } },
    { status: 500 },
  );
}

/** Enough issues for a form to show; a request with thousands of problems gets the first ones. */
const MAX_ISSUES = 50;
function capped<T>(issues: T[]): T[] {
  return issues.length > MAX_ISSUES ? issues.slice(0, MAX_ISSUES) : issues;
}

function isPrismaNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
}

/** Prisma's "cannot reach / lost the connection / pool exhausted" errors. */
const UNAVAILABLE_CODES = ["P1001", "P1002", "P1008", "P1017", "P2024"];
/** The same, as the pg driver adapter reports them (errors raised inside transactions come this way). */
const UNAVAILABLE_KINDS = ["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"];

/**
 * PostgreSQL is down, restarting or out of connections: a passing condition, so 503 and "try
 * again", not a 500 that suggests a bug.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: unknown } } };
  if (typeof e.code === "string" && UNAVAILABLE_CODES.includes(e.code)) return true;
  const cause = (e.meta?.driverAdapterError?.cause ?? (e.name === "DriverAdapterError" ? e.cause : undefined)) as { kind?: string; code?: string } | undefined;
  if (cause?.kind && UNAVAILABLE_KINDS.includes(cause.kind)) return true;
  // 57P0x: the server is shutting down or starting up; 08xxx: connection exceptions.
  if (cause?.kind === "postgres" && /^(57P0[1-3]|08)/.test(cause.code ?? "")) return true;
  return typeof e.message === "string" && /Connection terminated|Can't reach database server/.test(e.message);
}
