import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { asUser, sc, type RecordAnswer, type ScClient } from "@/lib/aws/service-catalog";
import { identityOf, principalArnOf, sharingRulesFor } from "@/lib/services/identity";
import { getProductDetail, getProvisioningForm, type ProductVersion, type ProvisioningForm } from "@/lib/services/catalog";
import { consumeRateLimit } from "@/lib/services/rate-limits";
import { findVisibleProduct, isNameAvailable } from "@/lib/services/products";
import { idempotencyToken } from "@/lib/services/tokens";
import { recordAudit } from "@/lib/services/audit";
import { enqueueTracking } from "@/lib/jobs/boss";
import { ConflictError, ValidationError, AppError, UpstreamError } from "@/lib/errors";
import { provisionRequestEnvelope, provisionRequestSchema, versionIssue, type ProvisionRequest, type RequestMode } from "@/lib/domain/provision-request";
import { maskNoEcho, toProvisioningParameters, parameterChanges, toUpdateParameters } from "@/lib/domain/parameters";
import { buildReservedTags, mergeTags, type Tag } from "@/lib/domain/tags";
import { canTerminate, canUpdate, isBusy, recordStatusFromAnswer } from "@/lib/domain/status";
import { ownerBoundValues } from "@/lib/domain/ownership";
import { planWarnings, type PlanResourceChange } from "@/lib/domain/plan";
import type { ParameterChange, ParameterValues, ParameterSetting } from "@/lib/domain/parameters";
import type { Prisma, ProvisionedProduct, User } from "@/generated/prisma/client";

type Actor = { user: User; requestId?: string | null };

/** The final tag set sent to AWS: the user's tags and TagOptions, then the reserved ones (which win). */
function finalTags(user: User, request: Pick<ProvisionRequest, "tags" | "tagOptions">): Tag[] {
  const reserved = buildReservedTags(user, env().RESERVED_TAG_KEYS);
  const fromOptions = Object.entries(request.tagOptions ?? {}).map(([key, value]) => ({ key, value }));
  return mergeTags([...request.tags, ...fromOptions], reserved);
}

type RequestContext = { mode: "launch" } | { mode: "update"; product: ProvisionedProduct };

type ValidRequest = { request: ProvisionRequest; form: ProvisioningForm; version: ProductVersion; productName: string };

/**
 * Checks a launch or update body in the order that costs least: its shape, ids, name, tags and
 * sizes (nothing asked of AWS); the version and launch path against the product (DescribeProduct,
 * cached); then every parameter against the version's real ones (DescribeProvisioningParameters,
 * cached), with the schema and options the form uses. Throws 422 naming the field.
 */
async function validateRequest(user: User, body: unknown, context: RequestContext): Promise<ValidRequest> {
  const reservedKeys = env().RESERVED_TAG_KEYS;
  const input = context.mode === "update" ? updateBody(context.product, body) : body;
  const envelope = provisionRequestEnvelope(reservedKeys).safeParse(input);
  if (!envelope.success) throw ValidationError.fromIssues(envelope.error.issues);
  const { productId, provisioningArtifactId, pathId } = envelope.data;

  const detail = await getProductDetail(user, productId);
  const currentVersionId = context.mode === "update" ? context.product.provisioningArtifactId : null;
  const problem = versionIssue(detail.versions, provisioningArtifactId, { mode: context.mode, currentVersionId });
  if (problem) throw new ValidationError(problem, [{ path: "provisioningArtifactId", message: problem }]);
  if (context.mode === "launch" && pathId !== undefined && !detail.launchPaths.some((p) => p.id === pathId)) {
    const message = "That launch path is not offered for this product: choose one of the listed ones";
    throw new ValidationError(message, [{ path: "pathId", message }]);
  }
  const version = detail.versions.find((v) => v.id === provisioningArtifactId)!;

  const form = await getProvisioningForm(user, { productId, artifactId: provisioningArtifactId, ...(pathId ? { pathId } : {}) });
  const parsed = provisionRequestSchema(form, { reservedKeys, mode: context.mode satisfies RequestMode, ownerBoundKeys: env().OWNER_BOUND_PARAMETERS, sharing: sharingRulesFor(user) }).safeParse(input);
  if (!parsed.success) throw ValidationError.fromIssues(parsed.error.issues);
  return { request: parsed.data, form, version, productName: detail.name };
}

/**
 * An update names its product by the URL. The body may repeat the product's name, product and
 * launch path (the form does) but not change them; what AWS is sent is the stored ones.
 */
function updateBody(product: ProvisionedProduct, body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body; // the envelope says what is wrong
  const given = body as Record<string, unknown>;
  const issues: { path: string; message: string }[] = [];
  if ("name" in given && given.name !== product.name) issues.push({ path: "name", message: "A product cannot be renamed: leave its name as it is" });
  if ("productId" in given && given.productId !== product.productId) issues.push({ path: "productId", message: "An update cannot turn a product into another one" });
  if ("pathId" in given && (given.pathId ?? "") !== (product.pathId ?? "")) issues.push({ path: "pathId", message: "The launch path of a product cannot change in an update" });
  if (issues.length > 0) throw ValidationError.fromIssues(issues.map((i) => ({ path: [i.path], message: i.message })));
  const { pathId: _ignored, ...rest } = given;
  return { ...rest, name: product.name, productId: product.productId, ...(product.pathId ? { pathId: product.pathId } : {}) };
}

async function assertNameFree(name: string) {
  if (!(await isNameAvailable(name))) {
    throw new ValidationError(`The name "${name}" is already in use. Choose another.`, [{ path: "name", message: `"${name}" is already used by another product. Names must be unique.` }]);
  }
}

/**
 * Launch: the row is written first (so nothing is lost if AWS or this process fails next), then
 * ProvisionProduct is called with a token derived from the row, then the record id is stored.
 */
export async function launchProduct(actor: Actor, body: unknown): Promise<ProvisionedProduct> {
  const { user } = actor;
  const { request, form, version, productName } = await validateRequest(user, body, { mode: "launch" });
  // Owner-bound parameters carry the owner's principal (e.g. whom the bucket policy grants).
  request.parameters = { ...request.parameters, ...ownerBoundValues(form.parameters, env().OWNER_BOUND_PARAMETERS, principalArnOf(user)) };
  await assertNameFree(request.name);
  await consumeRateLimit(user.id, "launch");
  const tags = finalTags(user, request);
  const storedParameters = maskNoEcho(request.parameters, form.parameters);

  let written: { row: ProvisionedProduct; recordId: string };
  try {
    written = await db.$transaction(async (tx) => {
      const id = crypto.randomUUID();
      const created = await tx.provisionedProduct.create({
        data: {
          id,
          ownerId: user.id,
          name: request.name,
          productId: request.productId,
          productName,
          provisioningArtifactId: version.id,
          provisioningArtifactName: version.name,
          pathId: request.pathId ?? null,
          status: "PENDING",
          parameters: storedParameters as Prisma.InputJsonValue,
          tags: tags as Prisma.InputJsonValue,
          provisionToken: idempotencyToken(id, "provision"),
        },
      });
      const record = await tx.provisioningRecord.create({
        data: { provisionedProductId: id, recordType: "PROVISION_PRODUCT", status: "CREATED", requestedById: user.id, request: { parameters: storedParameters, tags } as Prisma.InputJsonValue },
        select: { id: true },
      });
      return { row: created, recordId: record.id };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new ValidationError(`The name "${request.name}" is already in use.`, [{ path: "name", message: "Names must be unique." }]);
    throw error;
  }

  // The launching person is the owner, and the record is the one just written: passed on, not read again.
  return submitProvision(actor, written.row, request, form, { owner: user, pendingRecordId: written.recordId });
}

/** Sends (or re-sends, with the same token) the ProvisionProduct call for a PENDING row. */
export async function submitProvision(
  actor: Actor,
  row: ProvisionedProduct,
  request: Pick<ProvisionRequest, "parameters">,
  form: Pick<ProvisioningForm, "parameters">,
  /** What the caller already holds (a launch: the owner and the record it wrote); read here otherwise (reconciliation). */
  known: { owner?: User; pendingRecordId?: string | null } = {},
): Promise<ProvisionedProduct> {
  const owner = known.owner ?? (await db.user.findUniqueOrThrow({ where: { id: row.ownerId } }));
  const pendingRecord =
    known.pendingRecordId !== undefined
      ? known.pendingRecordId && { id: known.pendingRecordId }
      : await db.provisioningRecord.findFirst({ where: { provisionedProductId: row.id, recordType: "PROVISION_PRODUCT" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  try {
    let principalArn: string | undefined;
    // The owner's AWS principal as the session showed it (what owner-bound parameters and sharing
    // name), kept whether AWS then accepts the launch or not; written outside the AWS call.
    const rememberPrincipal = async () => {
      if (principalArn && owner.awsPrincipalArn !== principalArn) await db.user.update({ where: { id: owner.id }, data: { awsPrincipalArn: principalArn } });
    };
    const result = await asUser(identityOf(owner), "Launching the product", async (client, session) => {
      principalArn = session.principalArn;
      return sc.provisionProduct(client, {
        productId: row.productId,
        artifactId: row.provisioningArtifactId,
        ...(row.pathId ? { pathId: row.pathId } : {}),
        name: row.name,
        token: row.provisionToken,
        parameters: toProvisioningParameters(request.parameters, form.parameters),
        tags: row.tags as Tag[],
      });
    }).finally(rememberPrincipal);
    const updated = await db.$transaction(async (tx) => {
      // Only while the row has no AWS id: a reconciliation may have attached it meanwhile (and
      // tracking moved it on); what it wrote is newer than this answer.
      await tx.provisionedProduct.updateMany({
        where: { id: row.id, awsProvisionedProductId: null },
        data: { status: "UNDER_CHANGE", awsProvisionedProductId: result.provisionedProductId, lastRecordId: result.recordId, statusMessage: null },
      });
      if (pendingRecord) {
        await tx.provisioningRecord.updateMany({ where: { id: pendingRecord.id, recordId: null }, data: { recordId: result.recordId, status: recordStatusFromAnswer(result.status) } });
      }
      return tx.provisionedProduct.findUniqueOrThrow({ where: { id: row.id } });
    });
    await recordAudit({ actor: actor.user, action: "product.launch", target: { type: "provisioned-product", id: row.id }, outcome: "SUCCESS", requestId: actor.requestId, details: { name: row.name, productId: row.productId, version: row.provisioningArtifactName } });
    if (pendingRecord) await enqueueTracking(pendingRecord.id);
    return updated;
  } catch (error) {
    // A definite refusal (4xx, or throttling that outlasted the SDK's retries: AWS did not act on
    // the call) ends the launch; anything else may have reached AWS, so the row stays PENDING and
    // reconciliation re-sends the same token.
    const definite = error instanceof AppError && (error.status < 500 || (error instanceof UpstreamError && error.status === 503));
    if (definite) {
      await db.$transaction([
        db.provisionedProduct.updateMany({ where: { id: row.id, awsProvisionedProductId: null }, data: { status: "ERROR", statusMessage: (error as Error).message, terminatedAt: null } }),
        ...(pendingRecord ? [db.provisioningRecord.updateMany({ where: { id: pendingRecord.id, recordId: null }, data: { status: "FAILED", errors: [{ code: "Refused", description: (error as Error).message }], completedAt: new Date() } })] : []),
      ]);
    }
    await recordAudit({ actor: actor.user, action: "product.launch", target: { type: "provisioned-product", id: row.id }, outcome: "FAILURE", requestId: actor.requestId, details: { message: (error as Error).message } });
    if (definite) throw error;
    // "Try again" would be wrong here: the row keeps the name and reconciliation finishes the launch.
    throw new UpstreamError("Launching the product: the portal could not confirm the launch with AWS. It checks with AWS and completes it by itself (it cannot be launched twice); follow it under My products, no need to launch it again.", 502, error instanceof UpstreamError ? error.awsCode : undefined);
  }
}

/** An ownership transfer holds the product (running, stopped for a decision, or incomplete). */
async function assertNotBeingTransferred(product: ProvisionedProduct): Promise<void> {
  const transfer = await db.ownershipTransfer.findFirst({ where: { provisionedProductId: product.id, status: { in: ["RUNNING", "NEEDS_CONFIRMATION", "FAILED"] } }, select: { status: true } });
  if (!transfer) return;
  throw new ConflictError(
    transfer.status === "RUNNING"
      ? "This product is being transferred to another owner by an administrator. It cannot be changed until the transfer is done."
      : "This product's transfer to another owner is waiting for an administrator. It cannot be changed until they resume or roll it back.",
  );
}

/**
 * Whether the product's status lets it be updated or terminated now: the domain's `canUpdate` /
 * `canTerminate`, with the reason in words when not. A status the portal does not know is refused.
 */
function assertChangeable(product: ProvisionedProduct, change: "update" | "terminate"): void {
  const allowed = change === "update" ? canUpdate(product.status) : canTerminate(product.status);
  if (allowed) return;
  if (product.status === "TERMINATED") throw new ConflictError("This product has been terminated.");
  if (isBusy(product.status)) throw new ConflictError("This product is being changed right now. Wait until it is available, then try again.");
  throw new ConflictError(`This product cannot be ${change === "update" ? "updated" : "terminated"} while its status is ${product.status}.`);
}

type UpdatePlan = {
  parameters: ParameterSetting[];
  changed: ParameterChange[];
  versionChanged: boolean;
  request: ProvisionRequest;
  form: ProvisioningForm;
  version: ProductVersion;
};

async function prepareUpdate(user: User, product: ProvisionedProduct, body: unknown): Promise<UpdatePlan> {
  assertChangeable(product, "update");
  await assertNotBeingTransferred(product);
  if (!product.awsProvisionedProductId) throw new ConflictError("This product was never created in AWS, so it cannot be changed.");
  const { request, form, version } = await validateRequest(user, body, { mode: "update", product });
  const current = (product.parameters ?? {}) as Record<string, string | string[]>;
  const versionChanged = request.provisioningArtifactId !== product.provisioningArtifactId;
  const changed = parameterChanges(current, request.parameters, form.parameters, form.metadata);
  // Checked before a preview too: an AWS plan of no change is work for nothing.
  if (!versionChanged && changed.length === 0) {
    throw new ValidationError("Nothing to update: no value differs from the current one.", [{ path: "parameters", message: "Change at least one value or the version." }]);
  }
  // Unchanged parameters (and blank NoEcho ones) go with UsePreviousValue.
  return {
    parameters: toUpdateParameters(current, request.parameters, form.parameters),
    changed,
    versionChanged,
    request,
    form,
    version,
  };
}

export type UpdatePreview = {
  changedParameters: ParameterChange[];
  versionChanged: boolean;
  resourceChanges: PlanResourceChange[];
  warnings: string[];
};

/** A provisioned product plan: what AWS would change, with plain warnings for replacements. */
export async function previewUpdate(actor: Actor, id: string, body: unknown): Promise<UpdatePreview> {
  const product = await findVisibleProduct(actor.user, id, "change", { action: "product.preview", requestId: actor.requestId });
  const plan = await prepareUpdate(actor.user, product, body);
  await consumeRateLimit(actor.user.id, "preview");
  const resourceChanges: PlanResourceChange[] = await asUser(identityOf(actor.user), "Previewing the update", (client) =>
    sc.planChanges(client, {
      provisionedProductId: product.awsProvisionedProductId!,
      name: product.name,
      productId: product.productId,
      artifactId: plan.request.provisioningArtifactId,
      ...(product.pathId ? { pathId: product.pathId } : {}),
      parameters: plan.parameters,
    }),
  );
  return { changedParameters: plan.changed, versionChanged: plan.versionChanged, resourceChanges, warnings: planWarnings(resourceChanges) };
}

export async function updateProduct(actor: Actor, id: string, body: unknown): Promise<ProvisionedProduct> {
  const product = await findVisibleProduct(actor.user, id, "change", { action: "product.update", requestId: actor.requestId });
  const plan = await prepareUpdate(actor.user, product, body);
  const storedParameters = maskNoEcho(plan.request.parameters, plan.form.parameters, (product.parameters ?? {}) as ParameterValues);
  // Only the owner changes a product, so the reserved tags are (still) theirs.
  const tags = finalTags(actor.user, plan.request);
  const recordRow = await db.provisioningRecord.create({
    data: {
      provisionedProductId: product.id,
      recordType: "UPDATE_PROVISIONED_PRODUCT",
      status: "CREATED",
      requestedById: actor.user.id,
      // What the product becomes once AWS succeeds (tracking applies it; a failed update rolls back).
      request: {
        parameters: storedParameters,
        tags,
        provisioningArtifactId: plan.request.provisioningArtifactId,
        provisioningArtifactName: plan.version.name,
        changed: plan.changed.map((c) => c.key),
      } as Prisma.InputJsonValue,
    },
  });
  return sendChange(actor, product, recordRow.id, {
    action: "product.update",
    context: "Updating the product",
    details: { changed: plan.changed.map((c) => c.key), versionChanged: plan.versionChanged },
    call: (client) =>
      sc.updateProvisionedProduct(client, {
        provisionedProductId: product.awsProvisionedProductId!,
        productId: product.productId,
        artifactId: plan.request.provisioningArtifactId,
        ...(product.pathId ? { pathId: product.pathId } : {}),
        token: idempotencyToken(recordRow.id, "update"),
        parameters: plan.parameters,
        tags,
      }),
  });
}

/**
 * Termination, by the owner or by an admin (any product, with the admin role's session: the
 * product's history and the audit name the admin, and the audit the owner too).
 */
export async function terminateProduct(actor: Actor, id: string, body: unknown): Promise<ProvisionedProduct> {
  const product = await findVisibleProduct(actor.user, id, "terminate", { action: "product.terminate", requestId: actor.requestId });
  const confirmName = (body as { confirmName?: unknown } | null)?.confirmName;
  if (confirmName !== product.name) {
    throw new ValidationError("Type the product's name to confirm.", [{ path: "confirmName", message: `Type "${product.name}" exactly to confirm termination.` }]);
  }
  assertChangeable(product, "terminate");
  await assertNotBeingTransferred(product);
  const byAdmin = product.ownerId !== actor.user.id;
  const details = byAdmin ? { byAdmin: true, owner: (await db.user.findUniqueOrThrow({ where: { id: product.ownerId }, select: { email: true } })).email } : undefined;
  if (!product.awsProvisionedProductId) {
    // Never reached AWS: nothing to terminate there.
    const updated = await db.provisionedProduct.update({ where: { id: product.id }, data: { status: "TERMINATED", terminatedAt: new Date(), statusMessage: "Removed before AWS created it." } });
    await recordAudit({ actor: actor.user, action: "product.terminate", target: { type: "provisioned-product", id: product.id }, outcome: "SUCCESS", requestId: actor.requestId, ...(details ? { details } : {}) });
    return updated;
  }
  const recordRow = await db.provisioningRecord.create({
    data: { provisionedProductId: product.id, recordType: "TERMINATE_PROVISIONED_PRODUCT", status: "CREATED", requestedById: actor.user.id, ...(byAdmin ? { sentById: actor.user.id, sentAsAdmin: true } : {}) },
  });
  return sendChange(actor, product, recordRow.id, {
    action: "product.terminate",
    context: "Terminating the product",
    ...(byAdmin ? { asAdmin: true, details } : {}),
    call: (client) =>
      sc.terminateProvisionedProduct(client, { provisionedProductId: product.awsProvisionedProductId!, token: idempotencyToken(recordRow.id, "terminate"), ignoreErrors: product.status === "ERROR" }),
  });
}

/**
 * Sends an update or termination whose record row is already written: on success the record gets
 * AWS's id and the product is UNDER_CHANGE until tracking sees the record finish; on refusal the
 * record is FAILED and the product is left as it was. Audited either way.
 */
async function sendChange(
  actor: Actor,
  product: ProvisionedProduct,
  recordRowId: string,
  change: {
    action: string;
    context: string;
    details?: Prisma.InputJsonValue | undefined;
    /** Sent with the admin role's session (an admin acting on someone else's product). */
    asAdmin?: boolean;
    call: (client: ScClient) => Promise<RecordAnswer>;
  },
): Promise<ProvisionedProduct> {
  const target = { type: "provisioned-product", id: product.id };
  try {
    const result = await asUser(identityOf(actor.user), change.context, change.call, change.asAdmin ? "admin" : "enduser");
    const recordId = result.recordId;
    const updated = await db.$transaction(async (tx) => {
      await tx.provisioningRecord.update({ where: { id: recordRowId }, data: { recordId, status: recordStatusFromAnswer(result.status) } });
      return tx.provisionedProduct.update({ where: { id: product.id }, data: { status: "UNDER_CHANGE", statusMessage: null, lastRecordId: recordId } });
    });
    await recordAudit({ actor: actor.user, action: change.action, target, outcome: "SUCCESS", requestId: actor.requestId, ...(change.details ? { details: change.details } : {}) });
    await enqueueTracking(recordRowId);
    return updated;
  } catch (error) {
    const message = (error as Error).message;
    await db.provisioningRecord.update({ where: { id: recordRowId }, data: { status: "FAILED", errors: [{ code: "Refused", description: message }], completedAt: new Date() } });
    await recordAudit({ actor: actor.user, action: change.action, target, outcome: "FAILURE", requestId: actor.requestId, details: { message } });
    throw error;
  }
}
