import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { roleFor, type LoginClaims } from "@/lib/auth/claims";
import { recordAudit } from "@/lib/services/audit";
import type { User } from "@/generated/prisma/client";

/** Creates or refreshes the user on every login: profile, department/project and role follow the IdP. */
export async function recordLogin(claims: LoginClaims): Promise<User> {
  const settings = env();
  const role = roleFor(claims, { adminGroup: settings.ADMIN_GROUP, adminEmails: settings.ADMIN_EMAILS });
  const profile = {
    email: claims.email,
    name: claims.name,
    department: claims.department,
    project: claims.project,
    groups: claims.groups,
    role,
    lastLoginAt: new Date(),
  };
  const user = await db.user.upsert({
    where: { issuer_subject: { issuer: claims.issuer, subject: claims.subject } },
    create: { issuer: claims.issuer, subject: claims.subject, ...profile },
    update: profile,
  });
  await recordAudit({ actor: user, action: "auth.login", target: { type: "user", id: user.id }, outcome: "SUCCESS", details: { role } });
  return user;
}

export async function findUserById(id: string): Promise<User | null> {
  return db.user.findUnique({ where: { id } });
}
