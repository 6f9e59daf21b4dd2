import "server-only";
import { cache } from "react";
import { redirect, forbidden } from "next/navigation";
import { connection } from "next/server";
import { cookies, headers } from "next/headers";
import { usesSecureCookies } from "@/lib/auth/options";
import { sessionUserId } from "@/lib/auth/session-token";
import { env } from "@/lib/env";
import { can, type Permission } from "@/lib/domain/permissions";
import { findUserById } from "@/lib/services/users";
import { attemptedAction, recordDenied } from "@/lib/services/audit";
import type { User } from "@/generated/prisma/client";

/**
 * The signed-in user, read from the database (not just the cookie), so a role change or a
 * removed user takes effect at once. Cached for the duration of one request.
 */
export const currentUser = cache(async (): Promise<User | null> => {
  return (await sessionUser())?.active ?? null;
});

/** The session's user row, and whether it may act (a deactivated person's session stops working). */
const sessionUser = cache(async (): Promise<{ active: User | null; deactivated: boolean } | null> => {
  // Per-request by nature: never prerender at build time.
  await connection();
  const userId = await sessionUserId((await cookies()).getAll(), { secret: env().AUTH_SECRET, secure: usesSecureCookies() });
  if (!userId) return null;
  const user = await findUserById(userId);
  if (!user) return null;
  return user.deactivatedAt ? { active: null, deactivated: true } : { active: user, deactivated: false };
});

/** For pages: redirect to sign-in when nobody is signed in (saying so when the account was deactivated). */
export async function requireUser(): Promise<User> {
  const found = await sessionUser();
  if (found?.deactivated) redirect("/signin?error=Deactivated");
  if (!found?.active) redirect("/signin");
  return found.active;
}

/** For pages: 403 when the user lacks the permission, recorded in the audit log as DENIED. */
export async function requirePermission(permission: Permission): Promise<User> {
  const user = await requireUser();
  if (!can(user.role, permission)) {
    await recordPageDenial(user, permission);
    forbidden();
  }
  return user;
}

/** Per request: a layout and its page both check, and the refusal is one event, not two. */
const pageDenialOfRequest = cache((_userId: string) => ({ recorded: false }));

async function recordPageDenial(user: User, permission: Permission): Promise<void> {
  const once = pageDenialOfRequest(user.id);
  if (once.recorded) return;
  once.recorded = true;
  const requestHeaders = await headers();
  const path = requestHeaders.get("x-pathname");
  await recordDenied({
    actor: user,
    action: attemptedAction(permission),
    ...(path ? { target: { type: "page", id: path } } : {}),
    requestId: requestHeaders.get("x-request-id"),
    details: { permission, role: user.role },
  });
}
