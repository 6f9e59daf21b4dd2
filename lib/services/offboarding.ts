import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import { revokeAllAccessTokens } from "@/lib/services/access-tokens";
import { startTransfer, toTransferView, type TransferView } from "@/lib/services/transfers";
import { AppError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { can } from "@/lib/domain/permissions";
import { isRowId } from "@/lib/domain/ids";
import type { Prisma, User } from "@/generated/prisma/client";

/**
 * Offboarding: "transfer all products of this person to …". One ownership transfer per live
 * product (each carried by its own job, so the whole continues across restarts), followed
 * together; products that cannot be transferred now are listed with the reason. The person's
 * personal access tokens are revoked at the start.
 */

type Actor = { user: User; requestId?: string | null };
type Skipped = { productId: string; name: string; reason: string };

export type OffboardingView = {
  id: string;
  from: { id: string; email: string };
  to: { id: string; email: string };
  requestedBy: string;
  createdAt: string;
  transfers: TransferView[];
  skipped: Skipped[];
  summary: { moved: number; inProgress: number; needsAttention: number; skipped: number };
  done: boolean;
};

function assertMayManage(user: User): void {
  if (!can(user.role, "user:manage")) throw new ForbiddenError();
}

export async function startOffboarding(actor: Actor, fromUserId: string, toUserId: unknown): Promise<OffboardingView> {
  assertMayManage(actor.user);
  const from = isRowId(fromUserId) ? await db.user.findUnique({ where: { id: fromUserId } }) : null;
  if (!from) throw new NotFoundError("Nobody with that id has signed in.");
  if (typeof toUserId !== "string" || !isRowId(toUserId) || toUserId === from.id) {
    const message = toUserId === from.id ? "Choose someone other than the person leaving" : "Choose who receives the products";
    throw new ValidationError(message, [{ path: "toUserId", message }]);
  }
  const to = await db.user.findUnique({ where: { id: toUserId } });
  if (!to || to.deactivatedAt) {
    const message = to ? `${to.email} has been deactivated and cannot receive products` : "Nobody with that id has signed in";
    throw new ValidationError(message, [{ path: "toUserId", message }]);
  }
  const offboarding = await db.offboarding.create({ data: { fromUserId: from.id, toUserId: to.id, requestedById: actor.user.id } });
  // The person is leaving: their CLI access ends now, whatever happens to the products.
  await revokeAllAccessTokens(actor, from.id);
  const products = await db.provisionedProduct.findMany({ where: { ownerId: from.id, status: { not: "TERMINATED" } }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } });
  const skipped: Skipped[] = [];
  for (const product of products) {
    try {
      await startTransfer(actor, product.id, to.id, { offboardingId: offboarding.id });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      skipped.push({ productId: product.id, name: product.name, reason: error.message });
    }
  }
  await db.offboarding.update({ where: { id: offboarding.id }, data: { skipped: skipped as Prisma.InputJsonValue } });
  await recordAudit({
    actor: actor.user,
    action: "user.offboard",
    target: { type: "user", id: from.id },
    outcome: "SUCCESS",
    requestId: actor.requestId,
    details: { offboardingId: offboarding.id, to: to.email, products: products.length, skipped: skipped.length },
  });
  return getOffboarding(actor, offboarding.id);
}

export async function getOffboarding(actor: Actor, id: string): Promise<OffboardingView> {
  assertMayManage(actor.user);
  const offboarding = isRowId(id)
    ? await db.offboarding.findUnique({
        where: { id },
        include: {
          fromUser: true,
          toUser: true,
          requestedBy: true,
          transfers: { include: { provisionedProduct: true, fromUser: true, toUser: true, requestedBy: true }, orderBy: { createdAt: "asc" } },
        },
      })
    : null;
  if (!offboarding) throw new NotFoundError("That offboarding does not exist.");
  // A rolled-back transfer is shown through its roll back (the latest word on that product).
  const latest = new Map<string, TransferView>();
  for (const t of offboarding.transfers) latest.set(t.provisionedProductId, toTransferView(t));
  const transfers = [...latest.values()];
  const skipped = offboarding.skipped as Skipped[];
  const moved = transfers.filter((t) => t.status === "SUCCEEDED" && !t.rollbackOf).length;
  const inProgress = transfers.filter((t) => t.status === "RUNNING").length;
  const needsAttention = transfers.length - moved - inProgress;
  return {
    id: offboarding.id,
    from: { id: offboarding.fromUser.id, email: offboarding.fromUser.email },
    to: { id: offboarding.toUser.id, email: offboarding.toUser.email },
    requestedBy: offboarding.requestedBy.email,
    createdAt: offboarding.createdAt.toISOString(),
    transfers,
    skipped,
    summary: { moved, inProgress, needsAttention, skipped: skipped.length },
    done: inProgress === 0,
  };
}

/** The person's offboardings, newest first (their admin page shows the latest). */
export async function offboardingsOf(actor: Actor, userId: string): Promise<{ id: string; createdAt: string }[]> {
  assertMayManage(actor.user);
  if (!isRowId(userId)) return [];
  const rows = await db.offboarding.findMany({ where: { fromUserId: userId }, orderBy: { createdAt: "desc" }, take: 5, select: { id: true, createdAt: true } });
  return rows.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString() }));
}
