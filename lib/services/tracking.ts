import "server-only";
import { db } from "@/lib/db";
import { asUser, sc } from "@/lib/aws/service-catalog";
import { identityOf } from "@/lib/services/identity";
import { recordAudit } from "@/lib/services/audit";
import { syncShares } from "@/lib/services/shares-sync";
import { FINAL_RECORD_STATUSES, isFinalRecordStatus, productStatusAfterRecord, statusMessageAfterRecord } from "@/lib/domain/status";
import { UpstreamError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { Prisma } from "@/generated/prisma/client";

export type TrackResult = "final" | "in-progress" | "gone";

/**
 * What a successful update made of the product, from what the portal asked for. Applied only on
 * success: after a failed update AWS rolls back, and the product keeps its current values.
 */
function appliedUpdate(request: Prisma.JsonValue): Prisma.ProvisionedProductUpdateInput {
  const asked = (request ?? {}) as { parameters?: Prisma.InputJsonValue; tags?: Prisma.InputJsonValue; provisioningArtifactId?: string; provisioningArtifactName?: string };
  return {
    ...(asked.parameters !== undefined ? { parameters: asked.parameters } : {}),
    ...(asked.tags !== undefined ? { tags: asked.tags } : {}),
    ...(asked.provisioningArtifactId ? { provisioningArtifactId: asked.provisioningArtifactId } : {}),
    ...(asked.provisioningArtifactName ? { provisioningArtifactName: asked.provisioningArtifactName } : {}),
  };
}

/**
 * One look at a record in AWS (DescribeRecord, as whoever sent it) and the database brought
 * in line: record status and errors, product status, outputs. Idempotent, also when two trackers
 * look at the same record at once: only the one that moves the record on writes.
 */
export async function trackRecord(recordRowId: string): Promise<TrackResult> {
  const record = await db.provisioningRecord.findUnique({ where: { id: recordRowId }, include: { provisionedProduct: { include: { owner: true } }, sentBy: true } });
  if (!record) return "gone";
  if (isFinalRecordStatus(record.status)) return "final";
  if (!record.recordId) return "in-progress"; // not confirmed by AWS yet; reconciliation handles it
  const product = record.provisionedProduct;
  // Asked with the session that sent the request: after a transfer the previous owner can no
  // longer see the product's records, and an admin's request is the admin role's.
  // One attempt: when AWS is busy (throttling) or failing, this look says "still in progress" and
  // the next comes on schedule, instead of the worker waiting out the SDK's backoff.
  let described: Awaited<ReturnType<typeof sc.describeRecord>>;
  try {
    described = await asUser(identityOf(record.sentBy ?? product.owner), "Checking progress", (client) => sc.describeRecord(client, record.recordId!), record.sentAsAdmin ? "admin" : "enduser", "caller");
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    logger.info({ recordRowId, awsCode: error.awsCode }, "AWS did not answer a look at a record; looking again on schedule");
    return "in-progress";
  }
  const status = described.status ?? record.status;
  const { errors, outputs } = described;
  const final = isFinalRecordStatus(status);

  // Still under way and nothing moved (the usual look): no write. Writing the same values would
  // still cost a transaction and bump the product's updatedAt, which My products' poll reads as
  // a change and refetches for.
  if (!final && status === record.status && JSON.stringify(errors) === JSON.stringify(record.errors ?? [])) {
    const latest = !product.lastRecordId || product.lastRecordId === record.recordId;
    const after = productStatusAfterRecord(record.recordType as never, status as never);
    if (!latest || after === null || after === product.status) return "in-progress";
  }

  // Compare-and-set on the status read above: when another tracker (another portal instance,
  // a retried job) got there first, this look changes nothing and writes no second audit event.
  const applied = await db.$transaction(async (tx) => {
    const claimed = await tx.provisioningRecord.updateMany({
      where: { id: record.id, status: record.status },
      data: { status, errors: errors as Prisma.InputJsonValue, ...(final ? { completedAt: described.updatedAt ?? new Date() } : {}) },
    });
    if (claimed.count === 0) return false;
    // Only the product's latest record decides its status.
    if (product.lastRecordId && product.lastRecordId !== record.recordId) return true;
    const after = productStatusAfterRecord(record.recordType as never, status as never);
    // PLAN_IN_PROGRESS is a transient AWS state the portal does not store; null: unchanged.
    const nextStatus = after === "PLAN_IN_PROGRESS" || after === null ? undefined : after;
    await tx.provisionedProduct.update({
      where: { id: product.id },
      data: {
        ...(nextStatus ? { status: nextStatus } : {}),
        ...(final ? { statusMessage: statusMessageAfterRecord(record.recordType as never, status as never, errors.map((e) => e.description), product.provisioningArtifactName) } : {}),
        ...(final && outputs.length && record.recordType !== "TERMINATE_PROVISIONED_PRODUCT" ? { outputs: outputs as Prisma.InputJsonValue } : {}),
        ...(nextStatus === "TERMINATED" ? { terminatedAt: new Date() } : {}),
        ...(status === "SUCCEEDED" && record.recordType === "UPDATE_PROVISIONED_PRODUCT" ? appliedUpdate(record.request) : {}),
      },
    });
    // Who the product is shared with follows what AWS applied (Shared with me reads this table).
    if (status === "SUCCEEDED") {
      const applied = record.recordType === "UPDATE_PROVISIONED_PRODUCT" ? ((record.request ?? {}) as { parameters?: Prisma.JsonValue }).parameters ?? product.parameters : product.parameters;
      await syncShares(tx, product.id, applied, record.recordType !== "TERMINATE_PROVISIONED_PRODUCT");
    }
    return true;
  });
  if (!applied) {
    const now = await db.provisioningRecord.findUnique({ where: { id: record.id }, select: { status: true } });
    return now && isFinalRecordStatus(now.status) ? "final" : now ? "in-progress" : "gone";
  }
  if (final) {
    await recordAudit({
      actor: null,
      action: `record.${record.recordType.toLowerCase()}.${status.toLowerCase()}`,
      target: { type: "provisioned-product", id: product.id },
      outcome: status === "SUCCEEDED" ? "SUCCESS" : "FAILURE",
      details: { recordId: record.recordId, errors },
    });
  }
  return final ? "final" : "in-progress";
}

/** Records AWS confirmed (they have its record id) whose outcome the portal has not seen yet. */
export async function openRecordIds(): Promise<string[]> {
  const open = await db.provisioningRecord.findMany({
    where: { recordId: { not: null }, status: { notIn: [...FINAL_RECORD_STATUSES] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return open.map((r) => r.id);
}
