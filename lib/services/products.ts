import "server-only";
import { db } from "@/lib/db";
import { findVisibleProduct, isNameAvailable } from "@/lib/services/provisioning";
import { consumeRateLimit } from "@/lib/services/rate-limits";
import { activeTransferOf, type TransferView } from "@/lib/services/transfers";
import { can } from "@/lib/auth/permissions";
import type { ProvisionedProduct, ProvisioningRecord, User } from "@/generated/prisma/client";

export { isNameAvailable };

/** The launch form's "is this name free?" for a person: counted against their name-check budget. */
export async function checkNameAvailable(user: User, name: string): Promise<boolean> {
  await consumeRateLimit(user.id, "name-check");
  return isNameAvailable(name);
}

/** What the browser gets about a provisioned product: no tokens, no internal ids beyond AWS's. */
export type ProductSummary = {
  id: string;
  name: string;
  productId: string;
  productName: string;
  versionId: string;
  versionName: string;
  status: ProvisionedProduct["status"];
  statusMessage: string | null;
  ownerEmail: string;
  awsProvisionedProductId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type RecordSummary = {
  id: string;
  recordId: string | null;
  type: string;
  status: string;
  errors: { code: string; description: string }[];
  requestedBy: string | null;
  createdAt: string;
  completedAt: string | null;
};

export type ProductDetailView = ProductSummary & {
  ownerId: string;
  pathId: string | null;
  parameters: Record<string, string | string[]>;
  tags: { key: string; value: string }[];
  outputs: { key: string; value: string; description: string }[];
  records: RecordSummary[];
  /** The owner may update and terminate (unless a transfer holds it). */
  canChange: boolean;
  /** The owner, or an admin, may terminate it. */
  canTerminate: boolean;
  /** An admin may transfer it to another owner. */
  canTransfer: boolean;
  /** The transfer holding it now (running, waiting for an admin, or incomplete), if any. */
  transfer: TransferView | null;
};

export function toSummary(p: ProvisionedProduct & { owner: Pick<User, "email"> }): ProductSummary {
  return {
    id: p.id,
    name: p.name,
    productId: p.productId,
    productName: p.productName,
    versionId: p.provisioningArtifactId,
    versionName: p.provisioningArtifactName,
    status: p.status,
    statusMessage: p.statusMessage,
    ownerEmail: p.owner.email,
    awsProvisionedProductId: p.awsProvisionedProductId,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function toRecord(r: ProvisioningRecord & { requestedBy: Pick<User, "email"> | null }): RecordSummary {
  return {
    id: r.id,
    recordId: r.recordId,
    type: r.recordType,
    status: r.status,
    errors: (r.errors as { code: string; description: string }[]) ?? [],
    requestedBy: r.requestedBy?.email ?? null,
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
  };
}

/** The user's own products, from the database only (no AWS call per page view). */
export async function listMyProducts(user: User, options: { includeTerminated?: boolean } = {}): Promise<ProductSummary[]> {
  const rows = await db.provisionedProduct.findMany({
    where: { ownerId: user.id, ...(options.includeTerminated ? {} : { status: { not: "TERMINATED" } }) },
    include: { owner: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map(toSummary);
}

export async function getProductView(user: User, id: string, requestId?: string | null): Promise<ProductDetailView> {
  const product = await findVisibleProduct(user, id, "read", { action: "product.read", requestId });
  const full = await db.provisionedProduct.findUniqueOrThrow({
    where: { id: product.id },
    include: { owner: { select: { email: true } }, records: { orderBy: { createdAt: "desc" }, include: { requestedBy: { select: { email: true } } } } },
  });
  return {
    ...toSummary(full),
    ownerId: full.ownerId,
    pathId: full.pathId,
    parameters: full.parameters as Record<string, string | string[]>,
    tags: full.tags as { key: string; value: string }[],
    outputs: full.outputs as { key: string; value: string; description: string }[],
    records: full.records.map(toRecord),
    canChange: full.ownerId === user.id,
    canTerminate: full.ownerId === user.id || can(user.role, "product:terminate-any"),
    canTransfer: can(user.role, "product:transfer"),
    transfer: await activeTransferOf(full.id),
  };
}
