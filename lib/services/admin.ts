import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/generated/prisma/client";
import { cursorOf, isoTimestamp, likePattern, pageOf, type Page } from "@/lib/services/paging";
import { isRowId } from "@/lib/domain/ids";
import { sortDirection, type ProductFilter, type ProductSort, type UserFilter, type UserSort } from "@/lib/domain/admin-filters";
import type { ProductStatus } from "@/generated/prisma/client";

const { sql, join, empty } = Prisma;
type Sql = Prisma.Sql;

/**
 * The admin area's reads, from the database only (no AWS call per page view), built to stay fast
 * at tens of thousands of products: each list is one query for the page plus one count, whatever
 * the page size (keyset paging on the sort column and the id; an index for each filter and sort,
 * see the migration 20261125100000_admin_lists).
 */

/**
 * A row of the admin list: what the list shows and its row actions need (terminate's dialog reads
 * the product's version for what terminating removes); the product page has the rest.
 */
export type AdminProductRow = {
  id: string;
  name: string;
  awsProvisionedProductId: string | null;
  productId: string;
  versionId: string;
  pathId: string | null;
  status: ProductStatus;
  productName: string;
  versionName: string;
  createdAt: string;
  updatedAt: string;
  owner: { id: string; email: string; department: string | null; project: string | null };
  /** A transfer holding the product (running, waiting for an admin, or incomplete). */
  transfer: { status: "RUNNING" | "NEEDS_CONFIRMATION" | "FAILED"; step: number; failedStep: number | null; failureReason: string | null; to: string } | null;
};

const PRODUCT_SORT_COLUMN: Record<ProductSort, { column: Sql; cast: Sql }> = {
  created: { column: sql`p.created_at`, cast: sql`::timestamp` },
  updated: { column: sql`p.updated_at`, cast: sql`::timestamp` },
  name: { column: sql`p.name`, cast: empty },
  status: { column: sql`p.status`, cast: sql`::"ProductStatus"` },
  owner: { column: sql`u.email`, cast: empty },
};

/**
 * The WHERE conditions of a product filter (without paging); exported for the index tests. The
 * owner's email is asked of `users` in a subquery, not through the join: the count then reads no
 * owner row. Department and project are the product's copies of its owner's (kept by triggers),
 * indexed with the default sort: for a department of 800 live products among 20,000 the page stops
 * at its 51st row and the count reads the index alone (0.4 ms, against 2.5 ms asking `users` for
 * the department's owners and walking the products' creation index checking each against them).
 */
export function productConditions(filter: Omit<ProductFilter, "cursor" | "limit" | "sort" | "dir">): Sql {
  const conditions: Sql[] = [filter.status ? sql`p.status = ${filter.status}::"ProductStatus"` : sql`p.status <> 'TERMINATED'`];
  const owners = (condition: Sql) => sql`p.owner_id IN (SELECT id FROM users WHERE ${condition})`;
  if (filter.owner) conditions.push(isRowId(filter.owner) ? sql`p.owner_id = ${filter.owner}::uuid` : owners(sql`email = ${filter.owner.toLowerCase()}`));
  if (filter.product) conditions.push(sql`p.product_id = ${filter.product}`);
  if (filter.department) conditions.push(sql`p.owner_department = ${filter.department}`);
  if (filter.project) conditions.push(sql`p.owner_project = ${filter.project}`);
  if (filter.q) conditions.push(sql`p.name ILIKE ${likePattern(filter.q)}`);
  if (filter.transfer) {
    conditions.push(
      filter.transfer === "incomplete"
        ? sql`EXISTS (SELECT 1 FROM ownership_transfers t WHERE t.provisioned_product_id = p.id AND t.status IN ('NEEDS_CONFIRMATION', 'FAILED'))`
        : sql`EXISTS (SELECT 1 FROM ownership_transfers t WHERE t.provisioned_product_id = p.id AND t.status IN ('RUNNING', 'NEEDS_CONFIRMATION', 'FAILED'))`,
    );
  }
  return join(conditions, " AND ");
}

type ProductRow = {
  id: string;
  name: string;
  aws_provisioned_product_id: string | null;
  product_id: string;
  provisioning_artifact_id: string;
  path_id: string | null;
  status: ProductStatus;
  product_name: string;
  provisioning_artifact_name: string;
  /** ISO 8601, made by PostgreSQL (isoTimestamp). */
  created_at: string;
  updated_at: string;
  owner_id: string;
  owner_email: string;
  department: string | null;
  project: string | null;
  sort_value: string;
  transfer_status: "RUNNING" | "NEEDS_CONFIRMATION" | "FAILED" | null;
  transfer_step: number | null;
  transfer_failed_step: number | null;
  transfer_failure_reason: string | null;
  transfer_to: string | null;
};

/** Every provisioned product, filtered, sorted and paged (admins). */
/**
 * The admin list counts matches up to this many, then says "more than": counting every one of
 * 20,000 products on each page view costs more than the page itself, and past a thousand the
 * number only says "narrow the filters".
 */
export const PRODUCT_COUNT_CAP = 1000;

/** A page of the admin list; `totalCapped`: there are more than `total` (PRODUCT_COUNT_CAP) matches. */
export type AdminProductPage = Page<AdminProductRow> & { totalCapped: boolean };

export async function listAllProducts(filter: ProductFilter, { countCap = PRODUCT_COUNT_CAP }: { countCap?: number } = {}): Promise<AdminProductPage> {
  const direction = sortDirection(filter.sort, filter.dir);
  const { column, cast } = PRODUCT_SORT_COLUMN[filter.sort];
  const after = cursorOf(filter.cursor);
  const where = productConditions(filter);
  const keyset = after ? sql`AND (${column}, p.id) ${direction === "desc" ? sql`<` : sql`>`} (${after.value}${cast}, ${after.id}::uuid)` : empty;
  const order = direction === "desc" ? sql`DESC` : sql`ASC`;
  // One round trip: the total for the filters, counted up to one past the cap (without the
  // owner's row: a join over every product costs several times the count itself), always comes
  // back as one row, the page's rows (if any) joined to it in order.
  const result = await db.$queryRaw<(Partial<ProductRow> & { total: number })[]>`
    WITH counted AS (
      SELECT count(*)::int AS total FROM (
        SELECT 1 FROM provisioned_products p WHERE ${where} LIMIT ${countCap + 1}
      ) matching
    ), page AS (
      SELECT p.id, p.name, p.aws_provisioned_product_id, p.product_id, p.provisioning_artifact_id, p.path_id,
             p.status, p.product_name, p.provisioning_artifact_name,
             ${isoTimestamp(sql`p.created_at`)} AS created_at, ${isoTimestamp(sql`p.updated_at`)} AS updated_at,
             u.id AS owner_id, u.email AS owner_email, u.department, u.project,
             ${column}::text AS sort_value,
             tr.status AS transfer_status, tr.step AS transfer_step, tr.failed_step AS transfer_failed_step, tr.failure_reason AS transfer_failure_reason, tr.to_email AS transfer_to,
             row_number() OVER (ORDER BY ${column} ${order}, p.id ${order}) AS position
      FROM provisioned_products p JOIN users u ON u.id = p.owner_id
      LEFT JOIN LATERAL (
        SELECT t.status, t.step, t.failed_step, t.failure_reason, tu.email AS to_email
        FROM ownership_transfers t JOIN users tu ON tu.id = t.to_user_id
        WHERE t.provisioned_product_id = p.id AND t.status IN ('RUNNING', 'NEEDS_CONFIRMATION', 'FAILED')
        LIMIT 1
      ) tr ON TRUE
      WHERE ${where} ${keyset}
      ORDER BY ${column} ${order}, p.id ${order}
      LIMIT ${filter.limit + 1}
    )
    SELECT counted.total, page.id, page.name, page.aws_provisioned_product_id, page.product_id, page.provisioning_artifact_id, page.path_id,
           page.status, page.product_name, page.provisioning_artifact_name, page.created_at, page.updated_at,
           page.owner_id, page.owner_email, page.department, page.project, page.sort_value,
           page.transfer_status, page.transfer_step, page.transfer_failed_step, page.transfer_failure_reason, page.transfer_to
    FROM counted LEFT JOIN page ON TRUE
    ORDER BY page.position`;
  const rows = result.filter((r): r is ProductRow & { total: number } => r.id != null);
  const counted = result[0]?.total ?? 0;
  const page = pageOf(rows, filter.limit, Math.min(counted, countCap), (r) => ({
    id: r.id,
    name: r.name,
    awsProvisionedProductId: r.aws_provisioned_product_id,
    productId: r.product_id,
    versionId: r.provisioning_artifact_id,
    pathId: r.path_id,
    status: r.status,
    productName: r.product_name,
    versionName: r.provisioning_artifact_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    owner: { id: r.owner_id, email: r.owner_email, department: r.department, project: r.project },
    transfer: r.transfer_status
      ? { status: r.transfer_status, step: r.transfer_step ?? 1, failedStep: r.transfer_failed_step, failureReason: r.transfer_failure_reason, to: r.transfer_to ?? "" }
      : null,
  }));
  return { ...page, totalCapped: counted > countCap };
}

export type AdminUserRow = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  department: string | null;
  project: string | null;
  lastLoginAt: string | null;
  deactivatedAt: string | null;
  liveProducts: number;
};

const USER_SORT_COLUMN: Record<UserSort, { column: Sql; cast: Sql }> = {
  email: { column: sql`u.email`, cast: empty },
  name: { column: sql`coalesce(u.name, '')`, cast: empty },
  // Never signed in sorts as the oldest.
  lastLogin: { column: sql`coalesce(u.last_login_at, '-infinity'::timestamp)`, cast: sql`::timestamp` },
};

type UserRow = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  department: string | null;
  project: string | null;
  last_login_at: Date | null;
  deactivated_at: Date | null;
  live_products: number;
  sort_value: string;
};

/** Everyone who has signed in, with their number of live products (admins). */
export async function listUsers(filter: UserFilter): Promise<Page<AdminUserRow>> {
  const direction = sortDirection(filter.sort, filter.dir);
  const { column, cast } = USER_SORT_COLUMN[filter.sort];
  const after = cursorOf(filter.cursor);
  const conditions: Sql[] = [sql`TRUE`];
  if (filter.q) conditions.push(sql`(u.email ILIKE ${likePattern(filter.q)} OR u.name ILIKE ${likePattern(filter.q)})`);
  if (filter.role) conditions.push(sql`u.role = ${filter.role}::"Role"`);
  if (filter.status) conditions.push(filter.status === "active" ? sql`u.deactivated_at IS NULL` : sql`u.deactivated_at IS NOT NULL`);
  const where = join(conditions, " AND ");
  const keyset = after ? sql`AND (${column}, u.id) ${direction === "desc" ? sql`<` : sql`>`} (${after.value}${cast}, ${after.id}::uuid)` : empty;
  const order = direction === "desc" ? sql`DESC` : sql`ASC`;
  const [rows, counted] = await Promise.all([
    db.$queryRaw<UserRow[]>`
      SELECT u.id, u.email, u.name, u.role, u.department, u.project, u.last_login_at, u.deactivated_at,
             (SELECT count(*)::int FROM provisioned_products p WHERE p.owner_id = u.id AND p.status <> 'TERMINATED') AS live_products,
             ${column}::text AS sort_value
      FROM users u
      WHERE ${where} ${keyset}
      ORDER BY ${column} ${order}, u.id ${order}
      LIMIT ${filter.limit + 1}`,
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM users u WHERE ${where}`,
  ]);
  return pageOf(rows, filter.limit, counted[0]?.total ?? 0, (r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      department: r.department,
      project: r.project,
      lastLoginAt: r.last_login_at?.toISOString() ?? null,
      deactivatedAt: r.deactivated_at?.toISOString() ?? null,
      liveProducts: r.live_products,
  }));
}

/**
 * The admin list's Product filter: every product anyone has launched, once, under the name its
 * newest row has. Read by skipping from one product id to the next in the index and taking each
 * one's newest row (a few index probes per product); DISTINCT ON sorted every row instead: 50 ms a
 * page view at 20,000 products, growing with them, against about 1 ms.
 */
export const PRODUCT_CHOICES = sql`
    WITH RECURSIVE ids AS (
      (SELECT product_id FROM provisioned_products ORDER BY product_id LIMIT 1)
      UNION ALL
      SELECT (SELECT p.product_id FROM provisioned_products p WHERE p.product_id > ids.product_id ORDER BY p.product_id LIMIT 1)
      FROM ids WHERE ids.product_id IS NOT NULL
    )
    SELECT ids.product_id,
           (SELECT p.product_name FROM provisioned_products p WHERE p.product_id = ids.product_id ORDER BY p.created_at DESC LIMIT 1) AS product_name
    FROM ids WHERE ids.product_id IS NOT NULL`;

export async function productChoices(): Promise<{ productId: string; name: string }[]> {
  const rows = await db.$queryRaw<{ product_id: string; product_name: string }[]>(PRODUCT_CHOICES);
  return rows.map((r) => ({ productId: r.product_id, name: r.product_name })).sort((a, b) => a.name.localeCompare(b.name));
}

export type AuditLine = { id: string; at: string; actorEmail: string | null; action: string; outcome: string; targetType: string | null; targetId: string | null };

const toAuditLine = (e: { id: string; createdAt: Date; actorEmail: string | null; action: string; outcome: string; targetType: string | null; targetId: string | null }): AuditLine => ({
  id: e.id,
  at: e.createdAt.toISOString(),
  actorEmail: e.actorEmail,
  action: e.action,
  outcome: e.outcome,
  targetType: e.targetType,
  targetId: e.targetId,
});

/** The admin home: what needs attention, and the latest activity. */
export async function adminOverview(): Promise<{ users: number; liveProducts: number; needingAttention: number; incompleteTransfers: number; recent: AuditLine[] }> {
  const [users, liveProducts, needingAttention, incompleteTransfers, recent] = await Promise.all([
    db.user.count(),
    db.provisionedProduct.count({ where: { status: { not: "TERMINATED" } } }),
    db.provisionedProduct.count({ where: { status: { in: ["ERROR", "TAINTED"] } } }),
    db.ownershipTransfer.count({ where: { status: { in: ["NEEDS_CONFIRMATION", "FAILED"] } } }),
    db.auditEvent.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 }),
  ]);
  return { users, liveProducts, needingAttention, incompleteTransfers, recent: recent.map(toAuditLine) };
}

export type AdminUserProfile = AdminUserRow & { issuer: string; groups: string[]; createdAt: string; activity: AuditLine[] };

/** One person, for their admin page: who they are and what they did or had done to them lately. */
export async function userProfile(id: string): Promise<AdminUserProfile | null> {
  if (!isRowId(id)) return null;
  const user = await db.user.findUnique({ where: { id } });
  if (!user) return null;
  const [liveProducts, activity] = await Promise.all([
    db.provisionedProduct.count({ where: { ownerId: id, status: { not: "TERMINATED" } } }),
    db.auditEvent.findMany({ where: { OR: [{ actorId: id }, { targetType: "user", targetId: id }] }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 }),
  ]);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    department: user.department,
    project: user.project,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
    liveProducts,
    issuer: user.issuer,
    groups: user.groups,
    createdAt: user.createdAt.toISOString(),
    activity: activity.map(toAuditLine),
  };
}
