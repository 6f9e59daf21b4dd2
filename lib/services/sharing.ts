import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { principalArnOf, sharingRulesFor } from "@/lib/services/identity";
import { getProvisioningForm } from "@/lib/services/catalog";
import { updateProduct } from "@/lib/services/provisioning";
import { findVisibleProduct, readProductView, type ProductDetailView, type ProductOwner } from "@/lib/services/products";
import { recordAudit } from "@/lib/services/audit";
import { listUsers } from "@/lib/services/admin";
import { cursorOf, pageOf, type Page } from "@/lib/services/paging";
import { isOwnerBoundParameter } from "@/lib/domain/ownership";
import { describePrincipal, isSharingParameter, maxSharedPrincipals, shareChanges, sharedListIssues, sharedListOf, type PrincipalDescription } from "@/lib/domain/sharing";
import type { ParameterValues } from "@/lib/domain/parameters";
import type { SharedWithMeQuery } from "@/lib/domain/shared-with-me";
import { DEFAULT_PAGE_SIZE } from "@/lib/domain/admin-filters";
import { Prisma, type ProvisionedProduct, type User } from "@/generated/prisma/client";

type Actor = { user: User; requestId?: string | null };

/** A principal as the panel shows it: a portal user by name and email, otherwise the ARN described. */
export type SharedPrincipal = PrincipalDescription & { person: { name: string | null; email: string } | null };

export type SharingView = {
  /** The template parameter holding the list. */
  key: string;
  owner: SharedPrincipal;
  principals: SharedPrincipal[];
  allowedAccounts: readonly string[] | "any";
  maxPrincipals: number;
  /** The product is being changed (e.g. a sharing change is being applied). */
  busy: boolean;
  status: string;
};

export type SharingPreview = { added: SharedPrincipal[]; removed: SharedPrincipal[]; sentences: string[] };

/** Body of a sharing preview or change: the whole list of shared principals wanted. */
export const sharingBodySchema = z.strictObject(
  { principals: z.array(z.string({ error: "Each principal must be text (an ARN)" }).max(2048, "An ARN is at most 2048 characters"), { error: "principals must be a list of ARNs" }).max(500, "At most 500 principals") },
  { error: (issue) => (issue.code === "invalid_type" ? "The request must be a JSON object with principals (a list of ARNs)" : undefined) },
);

function ownAccount(): string | null {
  return /^arn:[a-z-]+:iam::(\d{12}):/.exec(env().AWS_ENDUSER_ROLE_ARN)?.[1] ?? null;
}

/** Portal users behind end-user session ARNs (the role's sessions are named after people). */
async function describeAll(arns: readonly string[]): Promise<SharedPrincipal[]> {
  const own = ownAccount();
  const roleName = env().AWS_ENDUSER_ROLE_ARN.split("/").at(-1) ?? "";
  const sessionOf = (arn: string) => {
    const m = /^arn:[a-z-]+:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/.exec(arn);
    return m && m[1] === own && m[2] === roleName ? m[3]! : null;
  };
  const sessions = arns.map(sessionOf).filter((s): s is string => s !== null);
  const people = sessions.length
    ? await db.user.findMany({ where: { OR: [{ awsSessionName: { in: sessions } }, { email: { in: sessions } }] }, select: { name: true, email: true, awsSessionName: true } })
    : [];
  return arns.map((arn) => {
    const session = sessionOf(arn);
    const person = session ? people.find((p) => principalArnOf(p) === arn) : undefined;
    return { ...describePrincipal(arn, own), person: person ? { name: person.name, email: person.email } : null };
  });
}

function sharingKeyOf(parameters: readonly { key: string }[]): string | null {
  return parameters.find((p) => isSharingParameter(p.key, env().SHARING_PARAMETER))?.key ?? null;
}

/** What the Sharing panel reads of a product: a row, or the product page's view of it. */
type SharingSource = { parameters: unknown; productId: string; provisioningArtifactId: string; pathId: string | null; status: string };

function currentList(product: Pick<SharingSource, "parameters">, key: string): string[] {
  return sharedListOf(((product.parameters ?? {}) as ParameterValues)[key]);
}

/**
 * The product's sharing parameter. Reading (`stored`): the parameters the product was launched or
 * last updated with name it whenever its template has it, so a page view asks AWS nothing; only a
 * product whose stored parameters leave it out is looked up. Changing: always the template's.
 */
async function productWithSharing(user: User, product: Omit<SharingSource, "status">, { stored = false }: { stored?: boolean } = {}): Promise<{ key: string }> {
  if (stored) {
    const known = sharingKeyOf(Object.keys((product.parameters ?? {}) as ParameterValues).map((key) => ({ key })));
    if (known) return { key: known };
  }
  const form = await getProvisioningForm(user, { productId: product.productId, artifactId: product.provisioningArtifactId, ...(product.pathId ? { pathId: product.pathId } : {}) });
  const key = sharingKeyOf(form.parameters);
  if (!key) throw new NotFoundError("This product cannot be shared: its template has no sharing parameter.");
  return { key };
}

/** Who has access to the product: its owner, then each shared principal. Owner or admin. */
export async function getSharing(actor: Actor, id: string): Promise<SharingView> {
  const product = await findVisibleProduct(actor.user, id, "read", { action: "product.read", requestId: actor.requestId });
  const owner = await db.user.findUniqueOrThrow({ where: { id: product.ownerId }, select: { email: true, awsSessionName: true } });
  return sharingOf(actor.user, product, owner);
}

/**
 * The product page: its view and, when its template has the sharing parameter, its Sharing
 * panel, from the one read of the view (the panel adds a query only to name the people on it).
 */
export async function getProductPage(actor: Actor, id: string): Promise<{ view: ProductDetailView; sharing: SharingView | null }> {
  const { view, owner } = await readProductView(actor.user, id, actor.requestId);
  const sharing = await sharingOf(actor.user, { ...view, provisioningArtifactId: view.versionId }, owner).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
  return { view, sharing };
}

async function sharingOf(user: User, product: SharingSource, owner: ProductOwner): Promise<SharingView> {
  const { key } = await productWithSharing(user, product, { stored: true });
  const [ownerView, ...principals] = await describeAll([principalArnOf(owner), ...currentList(product, key)]);
  const rules = sharingRulesFor(owner);
  return { key, owner: ownerView!, principals, allowedAccounts: rules.allowedAccounts, maxPrincipals: maxSharedPrincipals(), busy: product.status === "UNDER_CHANGE" || product.status === "PENDING", status: product.status };
}

type Plan = { product: ProvisionedProduct; key: string; before: string[]; after: string[]; added: string[]; removed: string[] };

async function planSharing(actor: Actor, id: string, body: unknown, action: string): Promise<Plan> {
  const product = await findVisibleProduct(actor.user, id, "change", { action, requestId: actor.requestId });
  const parsed = sharingBodySchema.safeParse(body);
  if (!parsed.success) throw ValidationError.fromIssues(parsed.error.issues);
  const after = parsed.data.principals.map((p) => p.trim());
  // The rules first: a refused entry costs no AWS call.
  const issues = sharedListIssues(after, sharingRulesFor(actor.user));
  if (issues.length > 0) throw ValidationError.fromIssues(issues.map((i) => ({ path: i.index === null ? ["principals"] : ["principals", i.index], message: i.message })));
  const { key } = await productWithSharing(actor.user, product);
  const before = currentList(product, key);
  const { added, removed } = shareChanges(before, after);
  if (added.length === 0 && removed.length === 0) {
    throw new ValidationError("Nothing to change: the product is already shared with exactly these principals.", [{ path: "principals", message: "Add or remove someone first." }]);
  }
  return { product, key, before, after, added, removed };
}

function nameOf(p: SharedPrincipal): string {
  return p.person ? p.person.email : p.arn;
}

/** What a change of the shared list does, in words, before anything is sent. No AWS call but the (cached) form. */
export async function previewSharing(actor: Actor, id: string, body: unknown): Promise<SharingPreview> {
  const plan = await planSharing(actor, id, body, "product.share");
  const [added, removed] = await Promise.all([describeAll(plan.added), describeAll(plan.removed)]);
  return { added, removed, sentences: [...added.map((p) => `${nameOf(p)} gains read/write`), ...removed.map((p) => `${nameOf(p)} loses access`)] };
}

/**
 * Applies a new shared list: an update of that one parameter, every other parameter
 * UsePreviousValue and the same version (updateProduct: progress, tracking, its audit event), then
 * one audit event per principal added or removed. product_shares follows once AWS succeeds.
 */
export async function applySharing(actor: Actor, id: string, body: unknown): Promise<ProvisionedProduct> {
  const plan = await planSharing(actor, id, body, "product.share");
  const current = (plan.product.parameters ?? {}) as ParameterValues;
  const parameters: ParameterValues = {};
  for (const [k, v] of Object.entries(current)) if (!isOwnerBoundParameter(k, env().OWNER_BOUND_PARAMETERS)) parameters[k] = v;
  parameters[plan.key] = plan.after;
  const updated = await updateProduct(actor, id, { provisioningArtifactId: plan.product.provisioningArtifactId, parameters });
  const target = { type: "provisioned-product", id: plan.product.id };
  for (const principal of plan.added) await recordAudit({ actor: actor.user, action: "product.share", target, outcome: "SUCCESS", requestId: actor.requestId, details: { principal } });
  for (const principal of plan.removed) await recordAudit({ actor: actor.user, action: "product.unshare", target, outcome: "SUCCESS", requestId: actor.requestId, details: { principal } });
  return updated;
}

export type ShareablePerson = { id: string; name: string | null; email: string; department: string | null; project: string | null; principalArn: string };

/** People who have signed in (and are active), by name or email, with the principal a share grants. */
export async function searchPeople(actor: Actor, q: string): Promise<{ items: ShareablePerson[] }> {
  const page = await listUsers({ q, status: "active", limit: 10, sort: "email", dir: "asc" } as Parameters<typeof listUsers>[0]);
  const found = await db.user.findMany({ where: { id: { in: page.items.map((u) => u.id) } }, select: { id: true, name: true, email: true, department: true, project: true, awsSessionName: true } });
  return { items: found.filter((u) => u.id !== actor.user.id).map((u) => ({ id: u.id, name: u.name, email: u.email, department: u.department, project: u.project, principalArn: principalArnOf(u) })) };
}

export type SharedWithMe = { id: string; name: string; productName: string; owner: { name: string | null; email: string }; bucket: string | null; since: string };

type SharedRow = { id: string; name: string; product_name: string; owner_name: string | null; owner_email: string; bucket: string | null; since: Date; sort_value: string };

/**
 * Products others shared with this person's end-user principal (read-only), newest share first, a
 * page at a time (keyset on when it was shared and the product's id): the page, its total and
 * each row's bucket (the first output named BucketName or BucketArn, else the first naming a
 * bucket) in one query whatever the page size.
 */
export async function listSharedWithMe(user: User, query: Partial<SharedWithMeQuery> = {}): Promise<Page<SharedWithMe>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = cursorOf(query.cursor);
  const keyset = after ? Prisma.sql`WHERE (sh.since, sh.id) < (${after.value}::timestamp, ${after.id}::uuid)` : Prisma.empty;
  const result = await db.$queryRaw<(Partial<SharedRow> & { total: number })[]>`
    WITH shared AS (
      -- A product this person now owns (a transfer to someone it was shared with) is in My products.
      SELECT s.provisioned_product_id AS id, s.since
      FROM product_shares s JOIN provisioned_products p ON p.id = s.provisioned_product_id
      WHERE s.principal_arn = ${principalArnOf(user)} AND p.status <> 'TERMINATED' AND p.owner_id <> ${user.id}::uuid
    ), summary AS (
      SELECT count(*)::int AS total FROM shared
    ), page AS (
      SELECT sh.id, sh.since, sh.since::text AS sort_value, p.name, p.product_name, o.name AS owner_name, o.email AS owner_email,
             (SELECT e.output->>'value'
              FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.outputs) = 'array' THEN p.outputs ELSE '[]'::jsonb END) WITH ORDINALITY AS e(output, n)
              WHERE e.output->>'key' ~* 'bucket'
              ORDER BY (e.output->>'key' ~* '^bucket(name|arn)$') DESC, e.n
              LIMIT 1) AS bucket,
             row_number() OVER (ORDER BY sh.since DESC, sh.id DESC) AS position
      FROM shared sh JOIN provisioned_products p ON p.id = sh.id JOIN users o ON o.id = p.owner_id
      ${keyset}
      ORDER BY sh.since DESC, sh.id DESC
      LIMIT ${limit + 1}
    )
    SELECT summary.total, page.id, page.name, page.product_name, page.owner_name, page.owner_email, page.bucket, page.since, page.sort_value
    FROM summary LEFT JOIN page ON TRUE
    ORDER BY page.position`;
  const rows = result.filter((r): r is SharedRow & { total: number } => r.id != null);
  return pageOf(rows, limit, result[0]?.total ?? 0, (r) => ({
    id: r.id,
    name: r.name,
    productName: r.product_name,
    owner: { name: r.owner_name, email: r.owner_email },
    bucket: r.bucket,
    since: r.since.toISOString(),
  }));
}
