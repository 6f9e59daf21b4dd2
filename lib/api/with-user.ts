import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import type { Logger } from "pino";
import { currentUser } from "@/lib/auth/session";
import { can, type Permission } from "@/lib/domain/permissions";
import { env } from "@/lib/env";
import { BadRequestError, ForbiddenError, NotFoundError, PayloadTooLargeError, UnauthenticatedError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";
import { handleApiError } from "@/lib/api/handle-error";
import { requestLogger } from "@/lib/logger";
import { requestIdFrom } from "@/lib/request-id";
import { attemptedAction, recordDenied } from "@/lib/services/audit";
import { authenticateAccessToken } from "@/lib/services/access-tokens";
import { bearerTokenOf } from "@/lib/domain/access-tokens";
import { clientAddress } from "@/lib/domain/client-address";
import type { User } from "@/generated/prisma/client";

/** Bodies over this are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SAFE_METHODS = new Set(["GET", "HEAD"]);

export type HandlerContext<P, Q, B> = { user: User; params: P; query: Q; body: B; requestId: string; log: Logger; request: NextRequest };

export type GuardOptions<P, Q, B> = {
  permission: Permission;
  /**
   * Who is asking: the browser's session cookie (default), or a personal access token in
   * `Authorization: Bearer qm_pat_…` (the CLI's credential_process). Each mode accepts only its
   * own credential: a bearer route ignores the cookie, a session route refuses a token. A bearer
   * route is exempt from the same-origin rule (its caller is not a browser), never from the token.
   */
  auth?: "session" | "bearer";
  /** Path parameters (resource ids). One that does not parse names no resource: 404, before any work. */
  params?: z.ZodType<P>;
  /** Query string, as an object of its first values. One that does not parse: 422 naming the field. */
  query?: z.ZodType<Q>;
  /** The JSON body of a write. One that does not parse: 422 naming the field. */
  body?: z.ZodType<B>;
};

/**
 * The one guard of every API route: who is asking (signed in, allowed by the permission table),
 * that a write comes from the portal's own pages (same origin, JSON), and that the resource ids,
 * query and body are well-formed and bounded, all before the handler runs. Every error becomes a
 * JSON response in `handleApiError`. Whether the user may touch a particular resource (ownership)
 * is the service's job. A signed-in person the permission table refuses is recorded in the audit
 * log as DENIED (within their budget of such events, see `recordDenied`).
 *
 * Order: same-origin and content type (headers only), declared size, session and permission,
 * path ids, query, then the body is read (at most MAX_BODY_BYTES) and parsed.
 */
export function withUser<P = Record<string, string>, Q = undefined, B = unknown>(
  handler: (ctx: HandlerContext<P, Q, B>) => Promise<Response | unknown>,
  options: GuardOptions<P, Q, B>,
) {
  return async (request: NextRequest, context: { params: Promise<unknown> }): Promise<Response> => {
    const requestId = requestIdFrom(request.headers.get("x-request-id"));
    const log = requestLogger(requestId);
    const started = performance.now();
    const done = (response: Response) => {
      response.headers.set("x-request-id", requestId);
      // A bearer route hands out credentials, or refuses to: no answer of it is ever stored.
      if (options.auth === "bearer") response.headers.set("cache-control", "no-store");
      log.info({ method: request.method, path: request.nextUrl.pathname, status: response.status, ms: Math.round(performance.now() - started) }, "request");
      return response;
    };
    try {
      const write = !SAFE_METHODS.has(request.method);
      const bearer = options.auth === "bearer";
      if (write) {
        if (!bearer) assertSameOrigin(request);
        assertJsonContentType(request);
        assertDeclaredSize(request);
      }
      const user = bearer ? await tokenUser(request) : await sessionUser(request);
      if (!can(user.role, options.permission)) {
        await recordDenied({
          actor: user,
          action: attemptedAction(options.permission),
          target: { type: "route", id: `${request.method} ${request.nextUrl.pathname}` },
          requestId,
          details: { permission: options.permission, role: user.role },
        });
        throw new ForbiddenError();
      }
      const params = parsePathParams(options.params, await context.params);
      const query = parseQuery(options.query, request);
      const raw = write ? await readJsonBody(request) : undefined;
      const body = (options.body ? parseOrThrow(options.body, raw) : raw) as B;
      const result = await handler({ user, params, query: query as Q, body, requestId, log: log.child({ userId: user.id }), request });
      return done(result instanceof Response ? result : NextResponse.json(result));
    } catch (error) {
      return done(handleApiError(error, log, requestId));
    }
  };
}

async function tokenUser(request: NextRequest) {
  const token = bearerTokenOf(request.headers.get("authorization"));
  if (!token) throw new UnauthenticatedError("Send a personal access token: Authorization: Bearer qm_pat_… (create one on the portal's CLI access page).");
  return (await authenticateAccessToken(token, clientIpOf(request))).user;
}

async function sessionUser(request: NextRequest) {
  // An access token buys AWS credentials and nothing else: it never stands in for a session.
  if (bearerTokenOf(request.headers.get("authorization"))) throw new UnauthenticatedError("Access tokens are accepted only by /api/credentials; sign in to the portal instead.");
  const user = await currentUser();
  if (!user) throw new UnauthenticatedError();
  return user;
}

/** The caller's address as the nearest trusted proxy saw it (lib/domain/client-address.ts). */
function clientIpOf(request: NextRequest): string | null {
  return clientAddress(request.headers.get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
}

/**
 * A write must come from the portal's own pages: the browser says so with `Sec-Fetch-Site:
 * same-origin`, or (older browsers) with an `Origin` equal to APP_URL's. A form posted from a
 * sibling subdomain or any other site carries neither, so the session cookie alone is never
 * enough to change anything.
 */
function assertSameOrigin(request: NextRequest): void {
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  const origin = request.headers.get("origin");
  if (origin !== null && origin === new URL(env().APP_URL).origin) return;
  throw new ForbiddenError("Cross-site request refused: changes can only be made from the portal's own pages.");
}

/** JSON only: a `text/plain` or form body is what a cross-site HTML form can send. */
function assertJsonContentType(request: NextRequest): void {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new UnsupportedMediaTypeError();
}

function assertDeclaredSize(request: NextRequest): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
}

function parsePathParams<P>(schema: z.ZodType<P> | undefined, raw: unknown): P {
  if (!schema) return raw as P;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new NotFoundError(first ? `Not found: ${first.message}.` : "Not found.");
}

function parseQuery<Q>(schema: z.ZodType<Q> | undefined, request: NextRequest): Q | undefined {
  if (!schema) return undefined;
  return parseOrThrow(schema, Object.fromEntries(request.nextUrl.searchParams));
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw ValidationError.fromIssues(parsed.error.issues);
}

/** The body as JSON, read up to MAX_BODY_BYTES whatever Content-Length claimed; undefined when empty. */
async function readJsonBody(request: NextRequest): Promise<unknown> {
  const reader = request.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(MAX_BODY_BYTES);
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BadRequestError("The request body is not valid UTF-8 text.");
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the input; say where it broke, not what it saw.
    throw new BadRequestError("The request body is not valid JSON.");
  }
}
