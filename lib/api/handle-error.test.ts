/**
 * The one error mapper (lib/api/handle-error.ts): what each kind of failure becomes for the
 * browser (status, code, a sentence a person can act on, the request id) and what reaches the
 * log. Whatever an unexpected error says stays in the log: the response never carries its
 * message or a stack.
 */
import pino from "pino";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { handleApiError } from "@/lib/api/handle-error";
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, UnauthenticatedError, UpstreamError, ValidationError } from "@/lib/errors";

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { log, lines };
}

async function answer(error: unknown) {
  const { log, lines } = capture();
  const response = handleApiError(error, log, "req-12345678");
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[]; requestId?: string } }, lines };
}

describe("the error mapper", () => {
  it("turns a schema failure into 422 naming each field, with the request id", async () => {
    const parsed = z.object({ name: z.string().min(2, "Name is too short"), size: z.number({ error: "size must be a number" }) }).safeParse({ name: "a", size: "x" });
    const { status, body } = await answer(parsed.error);
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: "validation_failed", message: "name: Name is too short (and 1 more)", requestId: "req-12345678" });
    expect(body.error.issues).toEqual([
      { path: "name", message: "Name is too short" },
      { path: "size", message: "size must be a number" },
    ]);
  });

  it("sends at most 50 field issues, however many there are", async () => {
    const issues = Array.from({ length: 400 }, (_, i) => ({ path: `tags.${i}.key`, message: "Tag key is required" }));
    const { status, body } = await answer(new ValidationError("tags.0.key: Tag key is required", issues));
    expect(status).toBe(422);
    expect(body.error.issues).toHaveLength(50);
  });

  it("keeps the status and sentence of the portal's own errors, and says when to retry after a rate limit", async () => {
    const cases: [Error, number, string][] = [
      [new UnauthenticatedError(), 401, "unauthenticated"],
      [new ForbiddenError(), 403, "forbidden"],
      [new NotFoundError("That product does not exist or is not yours."), 404, "not_found"],
      [new ConflictError("A transfer holds this product."), 409, "conflict"],
    ];
    for (const [error, status, code] of cases) {
      const got = await answer(error);
      expect([got.status, got.body.error.code, got.body.error.message]).toEqual([status, code, error.message]);
      expect(got.lines).toEqual([]); // a refusal is not a server problem
    }
    const limited = await answer(new TooManyRequestsError("Too many launches: try again in 12 seconds.", 12));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("12");
  });

  it("logs AWS failures as warnings and passes on the sentence written for people", async () => {
    const { status, body, lines } = await answer(new UpstreamError("Launching the product: AWS is busy right now. Nothing was changed; try again in a minute.", 503, "ThrottlingException"));
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: "aws_error", message: expect.stringContaining("Nothing was changed") });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[40, "upstream failure"]]);
  });

  it("answers Prisma's record-not-found with 404, and a database that cannot be reached with 503", async () => {
    expect((await answer(Object.assign(new Error("No record was found for an update."), { code: "P2025" }))).status).toBe(404);
    for (const error of [
      Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" }),
      Object.assign(new Error("driver adapter error"), { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P01" } }),
      new Error("Connection terminated unexpectedly"),
    ]) {
      const got = await answer(error);
      expect(got.status).toBe(503);
      expect(got.body.error.code).toBe("unavailable");
      expect(got.body.error.message).toContain("cannot reach its database");
    }
  });

  it("turns anything else into a generic 500: the error's own words and stack stay in the log", async () => {
    const secret = new Error("duplicate key value violates unique constraint \"users_pkey\" at /srv/app/lib/db.ts:42 (password=hunter2)");
    const { status, body, lines } = await answer(secret);
    expect(status).toBe(500);
    expect(body.error).toEqual({ code: "internal", message: "Something went wrong on our side. Try again; if it persists, quote the request id.", requestId: "req-12345678" });
    expect(JSON.stringify(body)).not.toMatch(/duplicate key|\/srv\/app|hunter2|at Object|\.ts:/);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, "unhandled error"]]);
    expect(JSON.stringify(lines)).toContain("duplicate key"); // the operator still sees what happened
  });
});
