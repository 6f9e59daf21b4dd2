import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, ValidationError } from "@/lib/errors";
import type { Logger } from "pino";

export type ErrorBody = {
  error: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string };
};

/** The one place errors become responses: known errors keep their status, the rest is a generic 500. */
export function handleApiError(error: unknown, log: Logger, requestId?: string): NextResponse<ErrorBody> {
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return NextResponse.json(
      { error: { code: "validation_failed", message: summarise(issues), issues, requestId } },
      { status: 422 },
    );
  }
  if (error instanceof ValidationError) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, issues: error.issues, requestId } },
      { status: error.status },
    );
  }
  if (error instanceof AppError) {
    if (error.status >= 500) log.warn({ err: error }, "upstream failure");
    return NextResponse.json({ error: { code: error.code, message: error.message, requestId } }, { status: error.status });
  }
  if (isPrismaNotFound(error)) {
    return NextResponse.json({ error: { code: "not_found", message: "Not found.", requestId } }, { status: 404 });
  }
  log.error({ err: error }, "unhandled error");
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on our side. Try again; if it persists, quote the request id.", requestId } },
    { status: 500 },
  );
}

function summarise(issues: { path: string; message: string }[]): string {
  const first = issues[0];
  if (!first) return "The request is not valid.";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${first.path ? `${first.path}: ` : ""}${first.message}${more}`;
}

function isPrismaNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
}
