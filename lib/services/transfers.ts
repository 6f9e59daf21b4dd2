import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { asUser, sc } from "@/lib/aws/service-catalog";
import { identityOf, principalArnOf } from "@/lib/services/identity";
import { getProvisioningForm } from "@/lib/services/catalog";
import { recordAudit } from "@/lib/services/audit";
import { consumeRateLimit } from "@/lib/services/rate-limits";
import { idempotencyToken } from "@/lib/services/tokens";
import { trackRecord } from "@/lib/services/tracking";
import { enqueueTransfer } from "@/lib/jobs/boss";
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { can } from "@/lib/domain/permissions";
import { isRowId } from "@/lib/domain/ids";
import { canUpdate, recordStatusFromAnswer } from "@/lib/domain/status";
import { replacementWarnings } from "@/lib/domain/plan";
import { TRANSFER_STEPS, transferChanges, updateNeeded, type TransferChanges } from "@/lib/domain/transfer";
import type { ParameterValues, ParameterSetting } from "@/lib/domain/parameters";
import type { Tag } from "@/lib/domain/tags";
import type { OwnershipTransfer, Prisma, ProvisionedProduct, TransferStatus, User } from "@/generated/prisma/client";

/**
 * Ownership transfer: an admin moves a provisioned product to another person in Service Catalog,
 * in its tags and in who can reach its data, then in the portal. A row per transfer, carried out
 * step by step by a job (`advanceTransfer`), so that it survives a restart and never leaves a
 * product half-moved without saying so:
 *   1. UpdateProvisionedProductProperties OWNER = the new owner's principal (admin role), until its
 *      record succeeds;
 *   2. a plan of the update, stopping (NEEDS_CONFIRMATION) if AWS would replace a resource, then an
 *      update (as the new owner) rewriting the reserved tags and the owner-bound parameters, all
 *      else UsePreviousValue, same version; skipped when there is nothing to change;
 *   3. the owner in the database, with an audit event for both people.
 * Each AWS call's idempotency token derives from the transfer and the step's attempt, and each
 * step's record row is written before its call, so a step run twice sends nothing twice. Every
 * state change is a compare-and-set on (status, step), so two workers cannot both advance one.
 */

type Actor = { user: User; requestId?: string | null };

export const ACTIVE_TRANSFER_STATUSES: TransferStatus[] = ["RUNNING", "NEEDS_CONFIRMATION", "FAILED"];

/** What a step has done so far; attempts count the retries a resume starts (each gets new tokens). */
type Progress = {
  ownerAttempt?: number;
  ownerRecordRowId?: string;
  planChecked?: boolean;
  replacements?: string[];
  updateAttempt?: number;
  updateRecordRowId?: string;
  updateSkipped?: boolean;
};

export type TransferView = {
  id: string;
  productId: string;
  productName: string;
  from: { id: string; email: string };
  to: { id: string; email: string };
  requestedBy: string;
  status: TransferStatus;
  step: number;
  stepLabel: string;
  failedStep: number | null;
  failureReason: string | null;
  replacements: string[];
  rollbackOf: string | null;
  createdAt: string;
  completedAt: string | null;
};

type TransferRow = OwnershipTransfer & {
  provisionedProduct: ProvisionedProduct;
  fromUser: User;
  toUser: User;
  requestedBy: User;
};

const include = { provisionedProduct: true, fromUser: true, toUser: true, requestedBy: true } as const;

export function toTransferView(t: TransferRow): TransferView {
  const progress = t.progress as Progress;
  return {
    id: t.id,
    productId: t.provisionedProductId,
    productName: t.provisionedProduct.name,
    from: { id: t.fromUser.id, email: t.fromUser.email },
    to: { id: t.toUser.id, email: t.toUser.email },
    requestedBy: t.requestedBy.email,
    status: t.status,
    step: t.step,
    stepLabel: TRANSFER_STEPS[Math.min(t.step, 3) - 1]!,
    failedStep: t.failedStep,
    failureReason: t.failureReason,
    replacements: progress.replacements ?? [],
    rollbackOf: t.rollbackOfId,
    createdAt: t.createdAt.toISOString(),
    completedAt: t.completedAt?.toISOString() ?? null,
  };
}

function assertMayTransfer(user: User): void {
  if (!can(user.role, "product:transfer")) throw new ForbiddenError();
}

async function productForTransfer(id: string): Promise<ProvisionedProduct & { owner: User }> {
  const product = isRowId(id) ? await db.provisionedProduct.findUnique({ where: { id }, include: { owner: true } }) : null;
  if (!product) throw new NotFoundError("That product does not exist.");
  if (!product.awsProvisionedProductId) throw new ConflictError("This product was never created in AWS, so there is nothing to transfer; remove it instead.");
  if (!canUpdate(product.status)) {
    throw new ConflictError(product.status === "TERMINATED" ? "This product has been terminated." : "This product is being changed right now. Wait until it is available, then transfer it.");
  }
  return product;
}

async function newOwner(toUserId: unknown, current: User): Promise<User> {
  if (typeof toUserId !== "string" || !isRowId(toUserId)) {
    throw new ValidationError("Choose the new owner.", [{ path: "toUserId", message: "Choose the new owner among the people who have signed in" }]);
  }
  const to = await db.user.findUnique({ where: { id: toUserId } });
  const problem = !to
    ? "Nobody with that id has signed in to the portal"
    : to.id === current.id
      ? `${to.email} already owns it: choose someone else`
      : to.deactivatedAt
        ? `${to.email} has been deactivated and cannot receive products`
        : null;
  if (problem) throw new ValidationError(problem, [{ path: "toUserId", message: problem }]);
  return to!;
}

/** The parties of a transfer, with the principals their sessions have. */
const party = (u: User) => ({ email: u.email, department: u.department, project: u.project, principalArn: principalArnOf(u) });

async function changesFor(product: ProvisionedProduct, from: User, to: User, formUser: User): Promise<{ changes: TransferChanges; declared: { key: string }[] }> {
  const form = await getProvisioningForm(formUser, { productId: product.productId, artifactId: product.provisioningArtifactId, ...(product.pathId ? { pathId: product.pathId } : {}) });
  const settings = env();
  const changes = transferChanges({
    tags: product.tags as Tag[],
    parameters: product.parameters as ParameterValues,
    declared: form.parameters,
    from: party(from),
    to: party(to),
    reservedKeys: settings.RESERVED_TAG_KEYS,
    ownerBoundKeys: settings.OWNER_BOUND_PARAMETERS,
    sharingKey: settings.SHARING_PARAMETER,
    tagUpdatesAllowed: form.tagUpdatesAllowed,
  });
  return { changes, declared: form.parameters };
}

/** The update's parameters: owner-bound ones set anew, every other one the product has kept as is. */
function updateParameters(declared: { key: string }[], stored: ParameterValues, newValues: Record<string, string>): ParameterSetting[] {
  return declared.flatMap((p): ParameterSetting[] =>
    newValues[p.key] !== undefined ? [{ key: p.key, value: newValues[p.key]! }] : stored[p.key] !== undefined ? [{ key: p.key, usePrevious: true }] : [],
  );
}

export type TransferPreview = { product: { id: string; name: string }; changes: TransferChanges; replacements: string[] };

/**
 * What a transfer to `toUserId` would change, before anything does: owner, tags, access, and
 * (from an AWS plan of the update) any resource AWS would replace.
 */
export async function previewTransfer(actor: Actor, productId: string, toUserId: unknown): Promise<TransferPreview> {
  assertMayTransfer(actor.user);
  const product = await productForTransfer(productId);
  const to = await newOwner(toUserId, product.owner);
  const { changes, declared } = await changesFor(product, product.owner, to, actor.user);
  let replacements: string[] = [];
  if (updateNeeded(changes)) {
    await consumeRateLimit(actor.user.id, "preview");
    const planned = await asUser(
      identityOf(actor.user),
      "Checking the transfer with AWS",
      (client) =>
        sc.planChanges(client, {
          provisionedProductId: product.awsProvisionedProductId!,
          name: product.name,
          productId: product.productId,
          artifactId: product.provisioningArtifactId,
          ...(product.pathId ? { pathId: product.pathId } : {}),
          parameters: updateParameters(declared, product.parameters as ParameterValues, changes.update.parameters),
          ...(changes.update.tags ? { tags: changes.update.tags } : {}),
        }),
      "admin",
    );
    replacements = replacementWarnings(planned);
  }
  return { product: { id: product.id, name: product.name }, changes, replacements };
}

/** Starts a transfer (an admin's decision, made after the preview). At most one per product at a time. */
export async function startTransfer(actor: Actor, productId: string, toUserId: unknown, options: { offboardingId?: string } = {}): Promise<TransferView> {
  assertMayTransfer(actor.user);
  const product = await productForTransfer(productId);
  const to = await newOwner(toUserId, product.owner);
  let transfer: TransferRow;
  try {
    transfer = await db.ownershipTransfer.create({
      data: {
        provisionedProductId: product.id,
        fromUserId: product.ownerId,
        toUserId: to.id,
        requestedById: actor.user.id,
        ...(options.offboardingId ? { offboardingId: options.offboardingId } : {}),
      },
      include,
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new ConflictError("A transfer of this product is already under way. Follow it, or resume or roll it back, before starting another.");
    throw error;
  }
  await recordAudit({
    actor: actor.user,
    action: "product.transfer.start",
    target: { type: "provisioned-product", id: product.id },
    outcome: "SUCCESS",
    requestId: actor.requestId,
    details: { transferId: transfer.id, from: product.owner.email, to: to.email },
  });
  await enqueueTransfer(transfer.id);
  return toTransferView(transfer);
}

async function loadTransfer(id: string): Promise<TransferRow> {
  const transfer = isRowId(id) ? await db.ownershipTransfer.findUnique({ where: { id }, include }) : null;
  if (!transfer) throw new NotFoundError("That transfer does not exist.");
  return transfer;
}

export async function getTransfer(actor: Actor, id: string): Promise<TransferView> {
  assertMayTransfer(actor.user);
  return toTransferView(await loadTransfer(id));
}

/** The transfer holding a product now, if any (for its page). */
export async function activeTransferOf(productId: string): Promise<TransferView | null> {
  const transfer = await db.ownershipTransfer.findFirst({ where: { provisionedProductId: productId, status: { in: ACTIVE_TRANSFER_STATUSES } }, include });
  return transfer ? toTransferView(transfer) : null;
}

/**
 * Resume an incomplete transfer from the step that stopped it: after a failure (a failed AWS
 * record is tried again with new tokens), or, when AWS would replace a resource, because the
 * admin decided to go on knowingly.
 */
export async function resumeTransfer(actor: Actor, id: string, options: { acceptReplacement?: boolean } = {}): Promise<TransferView> {
  assertMayTransfer(actor.user);
  const transfer = await loadTransfer(id);
  if (transfer.status !== "FAILED" && transfer.status !== "NEEDS_CONFIRMATION") throw new ConflictError("Only a transfer that stopped can be resumed.");
  if (transfer.status === "NEEDS_CONFIRMATION" && !options.acceptReplacement) {
    throw new ValidationError("Confirm that AWS may replace the resources named, or roll the transfer back.", [{ path: "acceptReplacement", message: "Confirm the replacement to go on" }]);
  }
  const progress = { ...(transfer.progress as Progress) };
  // A step whose AWS record failed starts again with a new record (and new tokens).
  for (const [rowKey, attemptKey] of [["ownerRecordRowId", "ownerAttempt"], ["updateRecordRowId", "updateAttempt"]] as const) {
    const rowId = progress[rowKey];
    if (!rowId) continue;
    const row = await db.provisioningRecord.findUnique({ where: { id: rowId }, select: { status: true } });
    if (row?.status === "FAILED") {
      delete progress[rowKey];
      progress[attemptKey] = (progress[attemptKey] ?? 0) + 1;
    }
  }
  const moved = await db.ownershipTransfer.updateMany({
    where: { id, status: transfer.status, step: transfer.step },
    data: { status: "RUNNING", failedStep: null, failureReason: null, progress: progress as Prisma.InputJsonValue, ...(options.acceptReplacement ? { acceptReplacement: true } : {}) },
  });
  if (moved.count === 0) throw new ConflictError("Someone else changed this transfer meanwhile. Reload to see where it stands.");
  await recordAudit({ actor: actor.user, action: "product.transfer.resume", target: { type: "provisioned-product", id: transfer.provisionedProductId }, outcome: "SUCCESS", requestId: actor.requestId, details: { transferId: id, acceptReplacement: Boolean(options.acceptReplacement) } });
  await enqueueTransfer(id);
  return toTransferView(await loadTransfer(id));
}

/**
 * Roll back an incomplete transfer: a transfer of its own back to the previous owner, through the
 * same steps (each a no-op where nothing had moved yet).
 */
export async function rollBackTransfer(actor: Actor, id: string): Promise<TransferView> {
  assertMayTransfer(actor.user);
  const transfer = await loadTransfer(id);
  if (transfer.status !== "FAILED" && transfer.status !== "NEEDS_CONFIRMATION") throw new ConflictError("Only a transfer that stopped can be rolled back; a finished one is undone by transferring the product back.");
  const rollback = await db.$transaction(async (tx) => {
    const closed = await tx.ownershipTransfer.updateMany({ where: { id, status: transfer.status, step: transfer.step }, data: { status: "ROLLED_BACK", completedAt: new Date() } });
    if (closed.count === 0) throw new ConflictError("Someone else changed this transfer meanwhile. Reload to see where it stands.");
    return tx.ownershipTransfer.create({
      data: { provisionedProductId: transfer.provisionedProductId, fromUserId: transfer.toUserId, toUserId: transfer.fromUserId, requestedById: actor.user.id, rollbackOfId: id, ...(transfer.offboardingId ? { offboardingId: transfer.offboardingId } : {}) },
      include,
    });
  });
  await recordAudit({ actor: actor.user, action: "product.transfer.rollback", target: { type: "provisioned-product", id: transfer.provisionedProductId }, outcome: "SUCCESS", requestId: actor.requestId, details: { transferId: id, rollbackId: rollback.id } });
  await enqueueTransfer(rollback.id);
  return toTransferView(rollback);
}

// ---------------------------------------------------------------- the job

/** A step's AWS work failed: the transfer stops there, saying why. */
class StepFailure extends Error {}

/**
 * Compare-and-set of the transfer's step or status (false when another worker moved it first).
 * `patch` is merged into the progress in the database, so two workers' notes never erase each
 * other's.
 */
async function advance(t: TransferRow, change: { step?: number; patch?: Progress; status?: TransferStatus; failedStep?: number; failureReason?: string }): Promise<boolean> {
  const moved = await db.$executeRaw`
    UPDATE ownership_transfers SET
      step = coalesce(${change.step ?? null}::int, step),
      status = coalesce(${change.status ?? null}::"TransferStatus", status),
      failed_step = coalesce(${change.failedStep ?? null}::int, failed_step),
      failure_reason = coalesce(${change.failureReason ?? null}::text, failure_reason),
      progress = progress || ${JSON.stringify(change.patch ?? {})}::jsonb,
      updated_at = now()
    WHERE id = ${t.id}::uuid AND status = 'RUNNING' AND step = ${t.step}`;
  return moved === 1;
}

/**
 * Writes the step's record row and notes it in the transfer, at once (so a rerun finds it); null
 * when another worker wrote one first (the compare-and-set includes "no row noted yet").
 */
async function recordRowFor(t: TransferRow, key: "ownerRecordRowId" | "updateRecordRowId", data: Prisma.ProvisioningRecordUncheckedCreateInput): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const row = await tx.provisioningRecord.create({ data });
    const moved = await tx.$executeRaw`
      UPDATE ownership_transfers SET progress = progress || ${JSON.stringify({ [key]: row.id })}::jsonb, updated_at = now()
      WHERE id = ${t.id}::uuid AND status = 'RUNNING' AND step = ${t.step} AND NOT (progress ? ${key})`;
    if (moved === 0) throw new ConflictError("moved on meanwhile");
    return row.id;
  }).catch((error: unknown) => (error instanceof ConflictError ? null : Promise.reject(error)));
}

/** Follows a step's record to its end: "wait" while AWS works, throws StepFailure when it failed. */
async function followRecord(rowId: string, failure: (reason: string) => string): Promise<"done" | "wait"> {
  if ((await trackRecord(rowId)) !== "final") return "wait";
  const row = await db.provisioningRecord.findUniqueOrThrow({ where: { id: rowId } });
  if (row.status === "SUCCEEDED") return "done";
  const errors = (row.errors as { description?: string }[] | null) ?? [];
  throw new StepFailure(failure(errors.map((e) => e.description).filter(Boolean).join("; ") || "AWS gave no reason"));
}

/** Step 1: Service Catalog's OWNER property, with the requesting admin's admin-role session. */
async function stepOwner(t: TransferRow): Promise<"done" | "wait" | "moved"> {
  const progress = t.progress as Progress;
  const to = principalArnOf(t.toUser);
  let rowId = progress.ownerRecordRowId;
  if (!rowId) {
    const created = await recordRowFor(t, "ownerRecordRowId", {
      provisionedProductId: t.provisionedProductId,
      recordType: "UPDATE_PROVISIONED_PRODUCT_PROPERTIES",
      status: "CREATED",
      requestedById: t.requestedById,
      sentById: t.requestedById,
      sentAsAdmin: true,
      request: { transferId: t.id, owner: { from: t.fromUser.email, to: t.toUser.email, principal: to } },
    });
    if (!created) return "moved";
    rowId = created;
  }
  const row = await db.provisioningRecord.findUniqueOrThrow({ where: { id: rowId } });
  if (!row.recordId) {
    const token = idempotencyToken(`${t.id}:${progress.ownerAttempt ?? 0}`, "transfer-owner");
    const answer = await asUser(identityOf(t.requestedBy), "Changing the owner in Service Catalog", (client) => sc.changeOwner(client, t.provisionedProduct.awsProvisionedProductId!, to, token), "admin");
    await db.$transaction([
      db.provisioningRecord.updateMany({ where: { id: rowId, recordId: null }, data: { recordId: answer.recordId, status: recordStatusFromAnswer(answer.status) } }),
      db.provisionedProduct.update({ where: { id: t.provisionedProductId }, data: { lastRecordId: answer.recordId } }),
    ]);
  }
  return followRecord(rowId, (reason) => `AWS did not change the owner: ${reason}`);
}

/** Step 2: plan, then update tags and owner-bound parameters with the new owner's session. */
async function stepUpdate(t: TransferRow): Promise<"done" | "wait" | "stopped" | "moved"> {
  const progress = t.progress as Progress;
  const product = t.provisionedProduct;
  const { changes, declared } = await changesFor(product, t.fromUser, t.toUser, t.toUser);
  if (!progress.updateRecordRowId && !updateNeeded(changes)) {
    return (await advance(t, { step: 3, patch: { updateSkipped: true } })) ? "done" : "moved";
  }
  const parameters = updateParameters(declared, product.parameters as ParameterValues, changes.update.parameters);
  const target = {
    provisionedProductId: product.awsProvisionedProductId!,
    productId: product.productId,
    artifactId: product.provisioningArtifactId,
    ...(product.pathId ? { pathId: product.pathId } : {}),
    parameters,
    ...(changes.update.tags ? { tags: changes.update.tags } : {}),
  };
  let rowId = progress.updateRecordRowId;
  if (!rowId) {
    if (!progress.planChecked && !t.acceptReplacement) {
      const planned = await asUser(identityOf(t.toUser), "Checking the update with AWS", (client) => sc.planChanges(client, { ...target, name: product.name }));
      const replacements = replacementWarnings(planned);
      if (replacements.length > 0) {
        // Stop before anything changes: the product keeps its old tags; the admin decides.
        const stopped = await advance(t, {
          status: "NEEDS_CONFIRMATION",
          failedStep: 2,
          failureReason: `AWS would replace ${replacements.length === 1 ? "a resource" : `${replacements.length} resources`} to update the tags and access: ${replacements.join(" ")}`,
          patch: { replacements },
        });
        return stopped ? "stopped" : "moved";
      }
      if (!(await advance(t, { patch: { planChecked: true } }))) return "moved";
      t.progress = { ...progress, planChecked: true } as Prisma.JsonValue;
    }
    const stored = { ...(product.parameters as ParameterValues), ...changes.update.parameters };
    const created = await recordRowFor(t, "updateRecordRowId", {
      provisionedProductId: product.id,
      recordType: "UPDATE_PROVISIONED_PRODUCT",
      status: "CREATED",
      requestedById: t.requestedById,
      sentById: t.toUserId,
      request: {
        transferId: t.id,
        parameters: stored,
        tags: (changes.update.tags ?? (product.tags as Tag[])) as Prisma.InputJsonValue,
        provisioningArtifactId: product.provisioningArtifactId,
        provisioningArtifactName: product.provisioningArtifactName,
        changed: Object.keys(changes.update.parameters),
      } as Prisma.InputJsonValue,
    });
    if (!created) return "moved";
    rowId = created;
  }
  const row = await db.provisioningRecord.findUniqueOrThrow({ where: { id: rowId } });
  if (!row.recordId) {
    const token = idempotencyToken(`${t.id}:${progress.updateAttempt ?? 0}`, "transfer-update");
    const answer = await asUser(identityOf(t.toUser), "Updating the tags and access for the new owner", (client) => sc.updateProvisionedProduct(client, { ...target, token }));
    const recordId = answer.recordId;
    await db.$transaction([
      db.provisioningRecord.updateMany({ where: { id: rowId, recordId: null }, data: { recordId, status: recordStatusFromAnswer(answer.status) } }),
      db.provisionedProduct.update({ where: { id: product.id }, data: { status: "UNDER_CHANGE", statusMessage: null, lastRecordId: recordId } }),
    ]);
  }
  const followed = await followRecord(rowId, (reason) => `The update of the tags and access failed, and AWS rolled it back: ${reason}. In AWS the product already belongs to ${t.toUser.email}.`);
  if (followed === "wait") return "wait";
  return (await advance(t, { step: 3 })) ? "done" : "moved";
}

/** Step 3: the owner in the portal, and an audit event for both people. */
async function stepRecord(t: TransferRow): Promise<void> {
  const finished = await db.$transaction(async (tx) => {
    const moved = await tx.ownershipTransfer.updateMany({ where: { id: t.id, status: "RUNNING", step: 3 }, data: { status: "SUCCEEDED", completedAt: new Date() } });
    if (moved.count === 0) return false;
    await tx.provisionedProduct.update({ where: { id: t.provisionedProductId }, data: { ownerId: t.toUserId } });
    return true;
  });
  if (!finished) return;
  const details = { transferId: t.id, product: t.provisionedProduct.name, from: t.fromUser.email, to: t.toUser.email, by: t.requestedBy.email, rollbackOf: t.rollbackOfId };
  await recordAudit({ actor: t.requestedBy, action: "product.transfer", target: { type: "provisioned-product", id: t.provisionedProductId }, outcome: "SUCCESS", details });
  await recordAudit({ actor: t.requestedBy, action: "user.product-transferred-away", target: { type: "user", id: t.fromUserId }, outcome: "SUCCESS", details });
  await recordAudit({ actor: t.requestedBy, action: "user.product-received", target: { type: "user", id: t.toUserId }, outcome: "SUCCESS", details });
}

/**
 * One turn of the job: carries the transfer as far as it can now. "wait": AWS is still working;
 * run again later. "done": finished, stopped for a decision, or failed (the row says which).
 */
export async function advanceTransfer(transferId: string): Promise<"wait" | "done"> {
  for (let turns = 0; turns < 5; turns++) {
    const t = await db.ownershipTransfer.findUnique({ where: { id: transferId }, include });
    if (!t || t.status !== "RUNNING") return "done";
    try {
      if (t.step === 1) {
        const result = await stepOwner(t);
        if (result === "wait") return "wait";
        if (result === "done") await advance(t, { step: 2 });
        continue;
      }
      if (t.step === 2) {
        const result = await stepUpdate(t);
        if (result === "wait") return "wait";
        if (result === "stopped") return "done";
        continue;
      }
      await stepRecord(t);
      return "done";
    } catch (error) {
      // A definite failure stops the transfer, saying which step and why; anything unexpected
      // (the database, a bug) is left to the job's retries.
      if (!(error instanceof StepFailure || error instanceof AppError)) throw error;
      const failed = await advance(t, { status: "FAILED", failedStep: t.step, failureReason: error.message });
      if (failed) {
        await recordAudit({ actor: t.requestedBy, action: "product.transfer", target: { type: "provisioned-product", id: t.provisionedProductId }, outcome: "FAILURE", details: { transferId: t.id, step: t.step, reason: error.message } });
      }
      return "done";
    }
  }
  return "wait";
}

/** Transfers a job should be carrying (after a restart, they are resumed). */
export async function runningTransferIds(): Promise<string[]> {
  return (await db.ownershipTransfer.findMany({ where: { status: "RUNNING" }, select: { id: true }, orderBy: { createdAt: "asc" } })).map((t) => t.id);
}
