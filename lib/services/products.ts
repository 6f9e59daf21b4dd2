import "server-only";
import { db } from "@/lib/db";
import { recordDenied } from "@/lib/services/audit";
import { NotFoundError } from "@/lib/errors";
import { isRowId } from "@/lib/domain/ids";
import { consumeRateLimit } from "@/lib/services/rate-limits";
import { ACTIVE_TRANSFER_STATUSES, activeTransferOf, type TransferView } from "@/lib/services/transfers";
import { can } from "@/lib/domain/permissions";
import { cursorOf, isoTimestamp as iso, likePattern, pageOf, type Page } from "@/lib/services/paging";
import { MY_PRODUCTS_PAGE_SIZE, myProductSortDirection, type MyProductSort, type MyProductsQuery } from "@/lib/domain/my-products";
import { Prisma } from "@/generated/prisma/client";
import type { ProvisionedProduct, User } from "@/generated/prisma/client";

const { sql, join, empty } = Prisma;
type Sql = Prisma.Sql;

/**
 * Rows that hold their name: every product AWS may know of, i.e. all but terminated ones and
 * launches AWS refused (ERROR without an AWS id: nothing was created there). The unique index
 * provisioned_products_live_name_key says the same in the database.
 */
const HOLDS_NAME = { status: { not: "TERMINATED" }, NOT: { status: "ERROR", awsProvisionedProductId: null } } satisfies Prisma.ProvisionedProductWhereInput;

/** Whether no other live product uses this name, whatever its case (AWS's names are unique per account). */
export async function isNameAvailable(name: string): Promise<boolean> {
  const clash = await db.provisionedProduct.findFirst({ where: { name: { equals: name, mode: "insensitive" }, ...HOLDS_NAME }, select: { id: true } });
  return !clash;
}

/**
 * A product the user may see: their own, or any for whoever may read any (admins, read-only),
 * and for "terminate" any for whoever may terminate any (admins). Otherwise 404, as if it did not
 * exist; when the product exists but is someone else's, the attempt (`attempt.action`, by
 * default product.<mode>) is recorded in the audit log as DENIED.
 */
export async function findVisibleProduct(
  user: User,
  id: string,
  mode: "read" | "change" | "terminate" = "read",
  attempt: { action?: string; requestId?: string | null } = {},
): Promise<ProvisionedProduct> {
  const product = isRowId(id) ? await db.provisionedProduct.findUnique({ where: { id } }) : null;
  return assertVisible(user, product, mode, attempt);
}

/**
 * The same rule for a product the caller has already read (with whatever it includes): a product
 * that is missing, or not the person's to see in this way, is "not found" (the refusal audited).
 */
export async function assertVisible<P extends Pick<ProvisionedProduct, "id" | "ownerId">>(
  user: User,
  product: P | null,
  mode: "read" | "change" | "terminate" = "read",
  attempt: { action?: string; requestId?: string | null } = {},
): Promise<P> {
  if (!product) throw new NotFoundError("That product does not exist or is not yours.");
  const mayRead =
    product.ownerId === user.id ||
    (mode === "read" && can(user.role, "product:read-any")) ||
    (mode === "terminate" && can(user.role, "product:terminate-any"));
  if (!mayRead) {
    await recordDenied({
      actor: user,
      action: attempt.action ?? `product.${mode}`,
      target: { type: "provisioned-product", id: product.id },
      requestId: attempt.requestId ?? null,
      details: { reason: "not-owner", mode },
    });
    throw new NotFoundError("That product does not exist or is not yours.");
  }
  return product;
}

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

/** The product's own columns a summary shows (a Prisma row, or a raw read under the same names). */
type SummarySource = Pick<ProvisionedProduct, "id" | "name" | "productId" | "productName" | "provisioningArtifactId" | "provisioningArtifactName" | "status" | "statusMessage" | "awsProvisionedProductId" | "createdAt" | "updatedAt">;

export function toSummary(p: SummarySource & { owner: Pick<User, "email"> }): ProductSummary {
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

/** A row of My products: what the list shows, nothing more (the detail page loads the rest). */
export type ProductListItem = Pick<ProductSummary, "id" | "name" | "productName" | "versionName" | "status" | "statusMessage" | "createdAt" | "updatedAt">;

/** A page (`nextCursor` null on the last one; `total`: how many the filter matches) and the changes summary. */
export type ProductListPage = Page<ProductListItem> & ProductChanges;

/**
 * What the list polls while something is in progress: it changes whenever any of the person's
 * products changes (status, name, owner, a new launch) and costs one index-only scan of their
 * rows (provisioned_products_owner_id_status_updated_at_idx), not a page of them.
 */
export type ProductChanges = { version: string; inProgress: number };

const IN_PROGRESS = sql`p.status IN ('PENDING', 'UNDER_CHANGE')`;

const MY_SORT_COLUMN: Record<MyProductSort, { column: Sql; cast: Sql }> = {
  created: { column: sql`p.created_at`, cast: sql`::timestamp` },
  updated: { column: sql`p.updated_at`, cast: sql`::timestamp` },
  name: { column: sql`p.name`, cast: empty },
  status: { column: sql`p.status`, cast: sql`::"ProductStatus"` },
};

type ChangesRow = { products: number; in_progress: number; changed_at: Date | null };

function changesOf(row: ChangesRow | undefined): ProductChanges {
  return { version: `${row?.products ?? 0}.${row?.changed_at?.getTime() ?? 0}`, inProgress: row?.in_progress ?? 0 };
}

type ListRow = {
  id: string;
  name: string;
  product_name: string;
  provisioning_artifact_name: string;
  status: ProvisionedProduct["status"];
  status_message: string | null;
  /** ISO 8601, made by PostgreSQL (isoTimestamp). */
  created_at: string;
  updated_at: string;
  sort_value: string;
};

/**
 * The person's own products, from the database only (no AWS call per page view): one page of the
 * filter, in one query whatever the page size (the page, its total and the changes summary).
 */
export async function listMyProducts(user: Pick<User, "id">, query: Partial<MyProductsQuery> = {}): Promise<ProductListPage> {
  const sort = query.sort ?? "created";
  const limit = query.limit ?? MY_PRODUCTS_PAGE_SIZE;
  const direction = myProductSortDirection(sort);
  const { column, cast } = MY_SORT_COLUMN[sort];
  const after = cursorOf(query.cursor);
  const conditions: Sql[] = [query.terminated === "1" ? sql`TRUE` : sql`p.status <> 'TERMINATED'`];
  if (query.q) {
    const like = likePattern(query.q);
    conditions.push(sql`(p.name ILIKE ${like} OR p.product_name ILIKE ${like} OR p.provisioning_artifact_name ILIKE ${like})`);
  }
  const where = join(conditions, " AND ");
  const keyset = after ? sql`AND (${column}, p.id) ${direction === "desc" ? sql`<` : sql`>`} (${after.value}${cast}, ${after.id}::uuid)` : empty;
  const order = direction === "desc" ? sql`DESC` : sql`ASC`;
  // One round trip: the summary (total for the filters, and what the poll compares) always comes
  // back as one row, the page's rows (if any) joined to it in their order.
  const result = await db.$queryRaw<(Partial<ListRow> & ChangesRow & { total: number })[]>`
    WITH summary AS (
      SELECT count(*) FILTER (WHERE ${where})::int AS total, count(*)::int AS products,
             count(*) FILTER (WHERE ${IN_PROGRESS})::int AS in_progress, max(p.updated_at) AS changed_at
      FROM provisioned_products p WHERE p.owner_id = ${user.id}::uuid
    ), page AS (
      SELECT p.id, p.name, p.product_name, p.provisioning_artifact_name, p.status, p.status_message,
             ${iso(sql`p.created_at`)} AS created_at, ${iso(sql`p.updated_at`)} AS updated_at, ${column}::text AS sort_value,
             row_number() OVER (ORDER BY ${column} ${order}, p.id ${order}) AS position
      FROM provisioned_products p
      WHERE p.owner_id = ${user.id}::uuid AND ${where} ${keyset}
      ORDER BY ${column} ${order}, p.id ${order}
      LIMIT ${limit + 1}
    )
    SELECT summary.*, page.id, page.name, page.product_name, page.provisioning_artifact_name, page.status, page.status_message, page.created_at, page.updated_at, page.sort_value
    FROM summary LEFT JOIN page ON TRUE
    ORDER BY page.position`;
  const summary = result[0];
  const rows = result.filter((r): r is ListRow & ChangesRow & { total: number } => r.id != null);
  return {
    ...pageOf(rows, limit, summary?.total ?? 0, (r) => ({
      id: r.id,
      name: r.name,
      productName: r.product_name,
      versionName: r.provisioning_artifact_name,
      status: r.status,
      statusMessage: r.status_message,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    ...changesOf(summary),
  };
}

/** Has anything of the person's changed? The list's poll: one index-only scan, no rows sent. */
export async function myProductChanges(user: Pick<User, "id">): Promise<ProductChanges> {
  const rows = await db.$queryRaw<ChangesRow[]>`
    SELECT count(*)::int AS products, count(*) FILTER (WHERE ${IN_PROGRESS})::int AS in_progress, max(p.updated_at) AS changed_at
    FROM provisioned_products p WHERE p.owner_id = ${user.id}::uuid`;
  return changesOf(rows[0]);
}

/**
 * What the product page polls while AWS works on the product (or a transfer runs): what its
 * version is made of (lib/queries/product-watch.ts), in the same order as the page's records,
 * in one query; the page itself is rendered again only when that version moves.
 */
export type ProductWatch = { id: string; status: ProvisionedProduct["status"]; updatedAt: string; transfer: { status: string; step: number } | null; records: { id: string; status: string }[] };

type WatchRow = { id: string; owner_id: string; status: ProvisionedProduct["status"]; updated_at: Date; transfer: { status: string; step: number } | null; records: { id: string; status: string }[] };

export async function watchProduct(user: User, id: string, requestId?: string | null): Promise<ProductWatch> {
  const rows = isRowId(id)
    ? await db.$queryRaw<WatchRow[]>`
        SELECT p.id, p.owner_id, p.status, p.updated_at,
               (SELECT json_build_object('status', t.status, 'step', t.step) FROM ownership_transfers t
                WHERE t.provisioned_product_id = p.id AND t.status::text IN (${join(ACTIVE_TRANSFER_STATUSES)}) LIMIT 1) AS transfer,
               COALESCE((SELECT json_agg(json_build_object('id', r.id, 'status', r.status) ORDER BY r.created_at DESC, r.id DESC)
                         FROM provisioning_records r WHERE r.provisioned_product_id = p.id), '[]'::json) AS records
        FROM provisioned_products p WHERE p.id = ${id}::uuid`
    : [];
  const row = rows[0] ? { ...rows[0], ownerId: rows[0].owner_id } : null;
  const found = await assertVisible(user, row, "read", { action: "product.read", requestId });
  return { id: found.id, status: found.status, updatedAt: found.updated_at.toISOString(), transfer: found.transfer, records: found.records };
}

/** The product page's one read: the row's columns under Prisma's names, the owner's email, the history. */
type ViewRow = SummarySource &
  Pick<ProvisionedProduct, "ownerId" | "pathId"> & {
    ownerEmail: string;
    ownerAwsSessionName: string | null;
    parameters: Record<string, string | string[]>;
    tags: { key: string; value: string }[];
    outputs: { key: string; value: string; description: string }[];
    records: RecordSummary[];
    activeTransfer: boolean;
  };

/**
 * The product page: the row, its owner, its whole history (each record with who asked) and
 * whether a transfer holds it, in one query whatever the history's length; the transfer itself
 * (rare) is read only when there is one. Records in the poll's order (watchProduct).
 */
export async function getProductView(user: User, id: string, requestId?: string | null): Promise<ProductDetailView> {
  return (await readProductView(user, id, requestId)).view;
}

/** The product's owner as the page's read finds them: what their AWS principal is made of. */
export type ProductOwner = Pick<User, "email" | "awsSessionName">;

/** getProductView's read, with the owner's principal (the Sharing panel starts from it). */
export async function readProductView(user: User, id: string, requestId?: string | null): Promise<{ view: ProductDetailView; owner: ProductOwner }> {
  const rows = isRowId(id)
    ? await db.$queryRaw<ViewRow[]>`
        SELECT p.id, p.owner_id AS "ownerId", o.email AS "ownerEmail", o.aws_session_name AS "ownerAwsSessionName", p.name, p.product_id AS "productId", p.product_name AS "productName",
               p.provisioning_artifact_id AS "provisioningArtifactId", p.provisioning_artifact_name AS "provisioningArtifactName", p.path_id AS "pathId",
               p.status, p.status_message AS "statusMessage", p.aws_provisioned_product_id AS "awsProvisionedProductId",
               p.parameters, p.tags, p.outputs, p.created_at AS "createdAt", p.updated_at AS "updatedAt",
               COALESCE((SELECT json_agg(json_build_object(
                           'id', r.id, 'recordId', r.record_id, 'type', r.record_type, 'status', r.status, 'errors', COALESCE(r.errors, '[]'::jsonb),
                           'requestedBy', u.email, 'createdAt', ${iso(sql`r.created_at`)}, 'completedAt', ${iso(sql`r.completed_at`)})
                         ORDER BY r.created_at DESC, r.id DESC)
                         FROM provisioning_records r LEFT JOIN users u ON u.id = r.requested_by_id
                         WHERE r.provisioned_product_id = p.id), '[]'::json) AS records,
               EXISTS (SELECT 1 FROM ownership_transfers t
                       WHERE t.provisioned_product_id = p.id AND t.status::text IN (${join(ACTIVE_TRANSFER_STATUSES)})) AS "activeTransfer"
        FROM provisioned_products p JOIN users o ON o.id = p.owner_id
        WHERE p.id = ${id}::uuid`
    : [];
  const found = await assertVisible(user, rows[0] ?? null, "read", { action: "product.read", requestId });
  const view: ProductDetailView = {
    ...toSummary({ ...found, owner: { email: found.ownerEmail } }),
    ownerId: found.ownerId,
    pathId: found.pathId,
    parameters: found.parameters,
    tags: found.tags,
    outputs: found.outputs,
    records: found.records,
    canChange: found.ownerId === user.id,
    canTerminate: found.ownerId === user.id || can(user.role, "product:terminate-any"),
    canTransfer: can(user.role, "product:transfer"),
    transfer: found.activeTransfer ? await activeTransferOf(found.id) : null,
  };
  return { view, owner: { email: found.ownerEmail, awsSessionName: found.ownerAwsSessionName } };
}
