import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { currentUser } from "@/lib/auth/session";
import { can, type Permission } from "@/lib/auth/permissions";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { handleApiError } from "@/lib/api/handle-error";
import { requestLogger } from "@/lib/logger";
import type { User } from "@/generated/prisma/client";
import type { Logger } from "pino";

export type HandlerContext<P> = { user: User; params: P; requestId: string; log: Logger; request: NextRequest };

/**
 * Route handler guard: resolves the signed-in user, checks the declared permission and maps
 * every error to a JSON response. Resource ownership is the service's job.
 */
export function withUser<P = Record<string, string>>(
  handler: (ctx: HandlerContext<P>) => Promise<Response | unknown>,
  options: { permission: Permission },
) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
    const log = requestLogger(requestId);
    const started = performance.now();
    const done = (response: Response) => {
      response.headers.set("x-request-id", requestId);
      log.info({ method: request.method, path: request.nextUrl.pathname, status: response.status, ms: Math.round(performance.now() - started) }, "request");
      return response;
    };
    try {
      const user = await currentUser();
      if (!user) throw new UnauthenticatedError();
      if (!can(user.role, options.permission)) throw new ForbiddenError();
      const result = await handler({ user, params: await context.params, requestId, log: log.child({ userId: user.id }), request });
      return done(result instanceof Response ? result : NextResponse.json(result));
    } catch (error) {
      return done(handleApiError(error, log, requestId));
    }
  };
}
