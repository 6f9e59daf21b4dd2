import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { takeFromBudget } from "@/lib/services/rate-limits";
import type { Permission } from "@/lib/domain/permissions";
import type { Prisma } from "@/generated/prisma/client";

export type AuditEntry = {
  actor?: { id: string; email: string } | null;
  action: string;
  target?: { type: string; id: string };
  outcome: "SUCCESS" | "FAILURE" | "DENIED";
  requestId?: string | null;
  details?: Prisma.InputJsonValue;
};

/** Writes an audit event. Never throws: a failed audit write is logged, not shown to the user. */
export async function recordAudit(entry: AuditEntry, tx: Prisma.TransactionClient = db): Promise<void> {
  try {
    await tx.auditEvent.create({
      data: {
        actorId: entry.actor?.id ?? null,
        actorEmail: entry.actor?.email ?? null,
        action: entry.action,
        targetType: entry.target?.type ?? null,
        targetId: entry.target?.id ?? null,
        outcome: entry.outcome,
        requestId: entry.requestId ?? null,
        details: entry.details ?? {},
      },
    });
  } catch (err) {
    logger.error({ err, audit: { action: entry.action, outcome: entry.outcome } }, "audit write failed");
  }
}

const HOUR_MS = 3_600_000;
/** Longest target id written for a refusal (a path someone typed can be long). */
const MAX_TARGET_ID = 200;

export type DeniedAttempt = Omit<AuditEntry, "outcome" | "actor"> & { actor: { id: string; email: string } };

/**
 * A signed-in person was refused (a permission the table does not give them, someone else's
 * product): recorded with outcome DENIED. The audit log is append-only, so repeating a refused
 * request must not be a way to fill it: each person has a budget of AUDIT_DENIED_PER_HOUR such
 * events (a burst, refilled over an hour, shared by every portal instance); beyond it the attempt
 * is only logged. Never throws.
 */
export async function recordDenied(attempt: DeniedAttempt): Promise<void> {
  const target = attempt.target ? { type: attempt.target.type, id: attempt.target.id.slice(0, MAX_TARGET_ID) } : undefined;
  try {
    const budget = await takeFromBudget(`audit-denied:${attempt.actor.id}`, env().AUDIT_DENIED_PER_HOUR, HOUR_MS);
    if (!budget.taken) {
      logger.warn({ userId: attempt.actor.id, requestId: attempt.requestId ?? undefined, audit: { action: attempt.action, target } }, "denied attempt not recorded in the audit log: this person's budget of refusals is spent");
      return;
    }
  } catch (err) {
    logger.error({ err, userId: attempt.actor.id, audit: { action: attempt.action, target } }, "denied attempt not recorded: the budget could not be read");
    return;
  }
  await recordAudit({ ...attempt, ...(target ? { target } : {}), outcome: "DENIED" });
}

/** The audit action of an attempt the permission table refused: `audit:read` -> `audit.read`. */
export function attemptedAction(permission: Permission): string {
  return permission.replace(":", ".");
}
