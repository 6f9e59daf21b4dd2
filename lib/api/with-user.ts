import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { currentUser } from "@/lib/auth/session";
import { can, type Permission } from "@/lib/auth/permissions";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import { handleApiError } from "@/lib/api/handle-error";
import { requestLogger } from "@/lib/logger";
import type { User } from "@/lib/generated/prisma/client";
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
    try {
      const user = await currentUser();
      if (!user) throw new UnauthenticatedError();
      if (!can(user.role, options.permission)) throw new ForbiddenError();
      const result = await handler({ user, params: await context.params, requestId, log: log.child({ userId: user.id }), request });
      const response = result instanceof Response ? result : NextResponse.json(result);
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      const response = handleApiError(error, log, requestId);
      response.headers.set("x-request-id", requestId);
      return response;
    }
  };
}
