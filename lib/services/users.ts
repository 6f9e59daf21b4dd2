import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { ConflictError, ForbiddenError, LoginRefusedError, NotFoundError } from "@/lib/errors";
import { can } from "@/lib/domain/permissions";
import { isRowId } from "@/lib/domain/ids";
import { roleFor, type LoginClaims } from "@/lib/domain/claims";
import { awsSessionNameFromEmail } from "@/lib/domain/session-name";
import { recordAudit } from "@/lib/services/audit";
import type { User } from "@/generated/prisma/client";

/**
 * Creates or refreshes the user on every login: profile, department/project and role follow the
 * IdP. Refuses (LoginRefusedError) a login whose email the provider says it has not verified, and
 * one whose AWS session name another user already holds: two people with one principal ARN would
 * see and change each other's products. The unique index on `aws_session_name` decides, so of two
 * logins racing for one name exactly one gets it.
 */
export async function recordLogin(claims: LoginClaims): Promise<User> {
  const who = { issuer: claims.issuer, subject: claims.subject };
  if (claims.emailVerified === false) {
    const known = await db.user.findUnique({ where: { issuer_subject: who } });
    logger.warn({ userId: known?.id ?? null, ...who }, "login refused: the identity provider has not verified the email");
    await recordAudit({ actor: known, action: "auth.login", ...(known ? { target: { type: "user", id: known.id } } : {}), outcome: "DENIED", details: { reason: "email-not-verified", ...who, email: claims.email } });
    throw new LoginRefusedError("EmailNotVerified", "The identity provider has not verified this email address.");
  }

  const known = await db.user.findUnique({ where: { issuer_subject: who }, select: { id: true, email: true, deactivatedAt: true } });
  if (known?.deactivatedAt) {
    logger.warn({ userId: known.id }, "login refused: the account is deactivated");
    await recordAudit({ actor: known, action: "auth.login", target: { type: "user", id: known.id }, outcome: "DENIED", details: { reason: "deactivated" } });
    throw new LoginRefusedError("Deactivated", "This account has been deactivated by an administrator.");
  }

  const settings = env();
  const role = roleFor(claims, { adminGroup: settings.ADMIN_GROUP, adminEmails: settings.ADMIN_EMAILS });
  const awsSessionName = awsSessionNameFromEmail(claims.email);
  const profile = {
    email: claims.email,
    awsSessionName,
    name: claims.name,
    department: claims.department,
    project: claims.project,
    groups: claims.groups,
    role,
    lastLoginAt: new Date(),
  };
  let user: User;
  try {
    user = await db.user.upsert({
      where: { issuer_subject: who },
      create: { ...who, ...profile },
      update: profile,
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    // Someone else holds this email or the session name derived from it (same email, or a
    // different one that derives the same name).
    const holder = await db.user.findFirst({ where: { OR: [{ awsSessionName }, { email: claims.email }], NOT: who } });
    if (!holder) throw error;
    const known = await db.user.findUnique({ where: { issuer_subject: who } });
    logger.error(
      { userId: known?.id ?? null, ...who, otherUserId: holder.id, awsSessionName },
      "login refused: this person's AWS session name is already another user's; give one of them a different email at the identity provider",
    );
    await recordAudit({
      actor: known,
      action: "auth.login",
      ...(known ? { target: { type: "user", id: known.id } } : {}),
      outcome: "DENIED",
      details: { reason: "aws-identity-clash", ...who, email: claims.email, awsSessionName, otherUserId: holder.id },
    });
    throw new LoginRefusedError("AwsIdentityClash", "This person's AWS identity would be another user's.");
  }
  await recordAudit({ actor: user, action: "auth.login", target: { type: "user", id: user.id }, outcome: "SUCCESS", details: { role } });
  return user;
}

export async function findUserById(id: string): Promise<User | null> {
  return db.user.findUnique({ where: { id } });
}

/**
 * Deactivate a person (admins): their sessions stop working at the next request and they cannot
 * sign in again until reactivated. Nothing of theirs is deleted; their products stay where they
 * are (transfer them with offboarding).
 */
export async function setUserActive(actor: { user: User; requestId?: string | null }, userId: string, active: boolean): Promise<User> {
  if (!can(actor.user.role, "user:manage")) throw new ForbiddenError();
  const user = isRowId(userId) ? await db.user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw new NotFoundError("Nobody with that id has signed in.");
  if (!active && user.id === actor.user.id) throw new ConflictError("You cannot deactivate yourself; ask another administrator.");
  const updated = await db.user.update({ where: { id: user.id }, data: { deactivatedAt: active ? null : (user.deactivatedAt ?? new Date()) } });
  await recordAudit({ actor: actor.user, action: active ? "user.reactivate" : "user.deactivate", target: { type: "user", id: user.id }, outcome: "SUCCESS", requestId: actor.requestId, details: { email: user.email } });
  return updated;
}
