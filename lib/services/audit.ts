import "server-only";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
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
