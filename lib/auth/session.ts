import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { redirect, forbidden } from "next/navigation";
import { connection } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { can, type Permission } from "@/lib/auth/permissions";
import { findUserById } from "@/lib/services/users";
import type { User } from "@/generated/prisma/client";

/**
 * The signed-in user, read from the database (not just the cookie), so a role change or a
 * removed user takes effect at once. Cached for the duration of one request.
 */
export const currentUser = cache(async (): Promise<User | null> => {
  // Per-request by nature: never prerender at build time.
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) return null;
  return findUserById(session.user.id);
});

/** For pages: redirect to sign-in when nobody is signed in. */
export async function requireUser(): Promise<User> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  return user;
}

/** For pages: 403 when the user lacks the permission. */
export async function requirePermission(permission: Permission): Promise<User> {
  const user = await requireUser();
  if (!can(user.role, permission)) forbidden();
  return user;
}
