import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { asUser, sc, type ScClient } from "@/lib/aws/service-catalog";
import { identityOf } from "@/lib/services/identity";
import { getProductDetail, getProvisioningForm, type ProvisioningForm } from "@/lib/services/catalog";
import { recordAudit } from "@/lib/services/audit";
import { enqueueTracking } from "@/lib/jobs/boss";
import { ConflictError, NotFoundError, ValidationError, AppError, UpstreamError } from "@/lib/errors";
import { buildProvisionRequestSchema, type ProvisionRequest } from "@/lib/domain/provision-request";
import { maskNoEcho, toProvisioningParameters, parameterChanges, toUpdateParameters } from "@/lib/domain/parameters";
import { buildReservedTags, mergeTags, type Tag } from "@/lib/domain/tags";
import { isBusyStatus } from "@/lib/domain/status";
import { planWarnings, resourceChangeFromAws, type PlanResourceChange } from "@/lib/domain/plan";
import type { ParameterChange, UpdateProvisioningParameter } from "@/lib/domain/parameters";
import type { Prisma, ProvisionedProduct, User } from "@/generated/prisma/client";
import type { ZodError } from "zod";

type Actor = { user: User; requestId?: string | null };

function toValidationError(error: ZodError): ValidationError {
  const issues = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  return new ValidationError(issues[0] ? `${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}` : "Invalid request", issues);
}

/** The final tag set sent to AWS: the user's tags and TagOptions, then the reserved ones (which win). */
function finalTags(user: User, request: Pick<ProvisionRequest, "tags" | "tagOptions">): Tag[] {
  const reserved = buildReservedTags(user, env().RESERVED_TAG_KEYS);
  const fromOptions = Object.entries(request.tagOptions ?? {}).map(([key, value]) => ({ key, value }));
  return mergeTags([...request.tags, ...fromOptions], reserved);
}

const toAwsTags = (tags: Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }));

/** Validates a launch or update request against the product's real parameters. Throws 422. */
async function validateRequest(user: User, body: unknown): Promise<{ request: ProvisionRequest; form: ProvisioningForm }> {
  const shape = body as Partial<ProvisionRequest> | null;
  if (!shape || typeof shape.productId !== "string" || typeof shape.provisioningArtifactId !== "string") {
    throw new ValidationError("Choose a product and a version.", [{ path: "provisioningArtifactId", message: "Choose a product version." }]);
  }
  const form = await getProvisioningForm(user, {
    productId: shape.productId,
    artifactId: shape.provisioningArtifactId,
    ...(typeof shape.pathId === "string" && shape.pathId ? { pathId: shape.pathId } : {}),
  });
  const schema = buildProvisionRequestSchema({
    parameters: form.parameters,
    reservedKeys: env().RESERVED_TAG_KEYS,
    tagOptions: form.tagOptions,
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw toValidationError(parsed.error);
  return { request: parsed.data, form };
}

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

async function assertNameFree(name: string) {
  if (!(await isNameAvailable(name))) {
    throw new ValidationError(`The name "${name}" is already in use. Choose another.`, [{ path: "name", message: `"${name}" is already used by another product. Names must be unique.` }]);
  }
}

function tokenFor(rowId: string, purpose: string): string {
  // Service Catalog tokens: 1..128 chars [a-zA-Z0-9_-]; derived so that a retry reuses the same one.
  return `${purpose}-${createHash("sha256").update(rowId).digest("hex").slice(0, 40)}`;
}

/**
 * Launch: the row is written first (so nothing is lost if AWS or this process fails next), then
 * ProvisionProduct is called with a token derived from the row, then the record id is stored.
 */
export async function launchProduct(actor: Actor, body: unknown): Promise<ProvisionedProduct> {
  const { user } = actor;
  const { request, form } = await validateRequest(user, body);
  await assertNameFree(request.name);
  const detail = await getProductDetail(user, request.productId);
  const version = detail.versions.find((v) => v.id === request.provisioningArtifactId);
  if (!version) throw new ValidationError("That version does not exist.", [{ path: "provisioningArtifactId", message: "Choose one of the listed versions." }]);
  // AWS refuses new launches of a deprecated version; say so before a row holds the name.
  if (version.deprecated) throw new ValidationError(`Version ${version.name} is deprecated.`, [{ path: "provisioningArtifactId", message: `${version.name} is deprecated: new products cannot be launched with it. Choose a current version.` }]);
  const tags = finalTags(user, request);
  const storedParameters = maskNoEcho(request.parameters, form.parameters);

  let row: ProvisionedProduct;
  try {
    row = await db.$transaction(async (tx) => {
      const id = crypto.randomUUID();
      const created = await tx.provisionedProduct.create({
        data: {
          id,
          ownerId: user.id,
          name: request.name,
          productId: request.productId,
          productName: detail.name,
          provisioningArtifactId: version.id,
          provisioningArtifactName: version.name,
          pathId: request.pathId ?? null,
          status: "PENDING",
          parameters: storedParameters as Prisma.InputJsonValue,
          tags: tags as Prisma.InputJsonValue,
          provisionToken: tokenFor(id, "provision"),
        },
      });
      await tx.provisioningRecord.create({
        data: { provisionedProductId: id, recordType: "PROVISION_PRODUCT", status: "CREATED", requestedById: user.id, request: { parameters: storedParameters, tags } as Prisma.InputJsonValue },
      });
      return created;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new ValidationError(`The name "${request.name}" is already in use.`, [{ path: "name", message: "Names must be unique." }]);
    throw error;
  }

  return submitProvision(actor, row, request, form);
}

/** Sends (or re-sends, with the same token) the ProvisionProduct call for a PENDING row. */
export async function submitProvision(actor: Actor, row: ProvisionedProduct, request: Pick<ProvisionRequest, "parameters">, form: Pick<ProvisioningForm, "parameters">): Promise<ProvisionedProduct> {
  const owner = await db.user.findUniqueOrThrow({ where: { id: row.ownerId } });
  const pendingRecord = await db.provisioningRecord.findFirst({ where: { provisionedProductId: row.id, recordType: "PROVISION_PRODUCT" }, orderBy: { createdAt: "asc" } });
  try {
    const result = await asUser(identityOf(owner), "Launching the product", async (client, session) => {
      if (owner.awsPrincipalArn !== session.principalArn) {
        await db.user.update({ where: { id: owner.id }, data: { awsPrincipalArn: session.principalArn } });
      }
      return sc.provisionProduct(client, {
        productId: row.productId,
        artifactId: row.provisioningArtifactId,
        ...(row.pathId ? { pathId: row.pathId } : {}),
        name: row.name,
        token: row.provisionToken,
        parameters: toProvisioningParameters(request.parameters, form.parameters),
        tags: toAwsTags(row.tags as Tag[]),
      });
    });
    const detail = result.RecordDetail;
    const updated = await db.$transaction(async (tx) => {
      const product = await tx.provisionedProduct.update({
        where: { id: row.id },
        data: { status: "UNDER_CHANGE", awsProvisionedProductId: detail?.ProvisionedProductId ?? null, lastRecordId: detail?.RecordId ?? null, statusMessage: null },
      });
      if (pendingRecord) {
        await tx.provisioningRecord.update({ where: { id: pendingRecord.id }, data: { recordId: detail?.RecordId ?? null, status: detail?.Status ?? "CREATED" } });
      }
      return product;
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
        db.provisionedProduct.update({ where: { id: row.id }, data: { status: "ERROR", statusMessage: (error as Error).message, terminatedAt: null } }),
        ...(pendingRecord ? [db.provisioningRecord.update({ where: { id: pendingRecord.id }, data: { status: "FAILED", errors: [{ code: "Refused", description: (error as Error).message }], completedAt: new Date() } })] : []),
      ]);
    }
    await recordAudit({ actor: actor.user, action: "product.launch", target: { type: "provisioned-product", id: row.id }, outcome: "FAILURE", requestId: actor.requestId, details: { message: (error as Error).message } });
    throw error;
  }
}

/** A product the user may see: their own, or any for an admin (read-only). Otherwise 404. */
export async function findVisibleProduct(user: User, id: string, mode: "read" | "change" = "read"): Promise<ProvisionedProduct> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(id);
  const product = isUuid ? await db.provisionedProduct.findUnique({ where: { id } }) : null;
  if (!product) throw new NotFoundError("That product does not exist or is not yours.");
  const mayRead = product.ownerId === user.id || (mode === "read" && user.role === "ADMIN");
  if (!mayRead) throw new NotFoundError("That product does not exist or is not yours.");
  return product;
}

function assertChangeable(product: ProvisionedProduct) {
  if (product.status === "TERMINATED") throw new ConflictError("This product has been terminated.");
  if (isBusyStatus(product.status)) throw new ConflictError("This product is being changed right now. Wait until it is available, then try again.");
  if (!product.awsProvisionedProductId) throw new ConflictError("This product was never created in AWS, so it cannot be changed.");
}

type UpdatePlan = {
  parameters: UpdateProvisioningParameter[];
  changed: ParameterChange[];
  versionChanged: boolean;
  request: ProvisionRequest;
  form: ProvisioningForm;
};

async function prepareUpdate(user: User, product: ProvisionedProduct, body: unknown): Promise<UpdatePlan> {
  assertChangeable(product);
  const { request, form } = await validateRequest(user, { ...(body as object), name: product.name, productId: product.productId });
  if (request.name !== product.name) throw new ValidationError("A product cannot be renamed.", [{ path: "name", message: "The name cannot change." }]);
  const current = (product.parameters ?? {}) as Record<string, string | string[]>;
  const versionChanged = request.provisioningArtifactId !== product.provisioningArtifactId;
  // Unchanged parameters (and blank NoEcho ones) go with UsePreviousValue.
  return {
    parameters: toUpdateParameters(current, request.parameters, form.parameters),
    changed: parameterChanges(current, request.parameters, form.parameters, form.metadata),
    versionChanged,
    request,
    form,
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
  const product = await findVisibleProduct(actor.user, id, "change");
  const plan = await prepareUpdate(actor.user, product, body);
  const resourceChanges: PlanResourceChange[] = await asUser(identityOf(actor.user), "Previewing the update", async (client) => {
    const created = await sc.createPlan(client, {
      provisionedProductId: product.awsProvisionedProductId!,
      name: product.name,
      productId: product.productId,
      artifactId: plan.request.provisioningArtifactId,
      ...(product.pathId ? { pathId: product.pathId } : {}),
      planName: `preview-${Date.now()}`,
      token: crypto.randomUUID(),
      parameters: plan.parameters,
    });
    const planId = created.PlanId!;
    try {
      for (let i = 0; i < 30; i++) {
        const described = await sc.describePlan(client, planId);
        const status = described.ProvisionedProductPlanDetails?.Status;
        if (status === "CREATE_SUCCESS" || status === "EXECUTE_SUCCESS") {
          return (described.ResourceChanges ?? []).map((c) => resourceChangeFromAws(c as Parameters<typeof resourceChangeFromAws>[0]));
        }
        if (status === "CREATE_FAILED") throw new ConflictError(`AWS could not plan this change: ${described.ProvisionedProductPlanDetails?.StatusMessage ?? "unknown reason"}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new ConflictError("AWS took too long to plan this change. Try again.");
    } finally {
      await sc.deletePlan(client, planId).catch(() => undefined);
    }
  });
  return { changedParameters: plan.changed, versionChanged: plan.versionChanged, resourceChanges, warnings: planWarnings(resourceChanges) };
}

export async function updateProduct(actor: Actor, id: string, body: unknown): Promise<ProvisionedProduct> {
  const product = await findVisibleProduct(actor.user, id, "change");
  const plan = await prepareUpdate(actor.user, product, body);
  if (!plan.versionChanged && plan.changed.length === 0) throw new ValidationError("Nothing to update: no value differs from the current one.", [{ path: "parameters", message: "Change at least one value or the version." }]);
  const detail = await getProductDetail(actor.user, product.productId);
  const version = detail.versions.find((v) => v.id === plan.request.provisioningArtifactId);
  const storedParameters = maskNoEcho(plan.request.parameters, plan.form.parameters);
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
        provisioningArtifactName: version?.name ?? product.provisioningArtifactName,
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
        token: tokenFor(recordRow.id, "update"),
        parameters: plan.parameters,
        tags: toAwsTags(tags),
      }),
  });
}

export async function terminateProduct(actor: Actor, id: string, body: unknown): Promise<ProvisionedProduct> {
  const product = await findVisibleProduct(actor.user, id, "change");
  const confirmName = (body as { confirmName?: unknown } | null)?.confirmName;
  if (confirmName !== product.name) {
    throw new ValidationError("Type the product's name to confirm.", [{ path: "confirmName", message: `Type "${product.name}" exactly to confirm termination.` }]);
  }
  if (product.status === "TERMINATED") throw new ConflictError("This product has already been terminated.");
  if (isBusyStatus(product.status)) throw new ConflictError("This product is being changed right now. Wait until it is available, then try again.");
  if (!product.awsProvisionedProductId) {
    // Never reached AWS: nothing to terminate there.
    const updated = await db.provisionedProduct.update({ where: { id: product.id }, data: { status: "TERMINATED", terminatedAt: new Date(), statusMessage: "Removed before AWS created it." } });
    await recordAudit({ actor: actor.user, action: "product.terminate", target: { type: "provisioned-product", id: product.id }, outcome: "SUCCESS", requestId: actor.requestId });
    return updated;
  }
  const recordRow = await db.provisioningRecord.create({
    data: { provisionedProductId: product.id, recordType: "TERMINATE_PROVISIONED_PRODUCT", status: "CREATED", requestedById: actor.user.id },
  });
  return sendChange(actor, product, recordRow.id, {
    action: "product.terminate",
    context: "Terminating the product",
    call: (client) =>
      sc.terminateProvisionedProduct(client, { provisionedProductId: product.awsProvisionedProductId!, token: tokenFor(recordRow.id, "terminate"), ignoreErrors: product.status === "ERROR" }),
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
  change: { action: string; context: string; details?: Prisma.InputJsonValue; call: (client: ScClient) => Promise<{ RecordDetail?: { RecordId?: string; Status?: string } }> },
): Promise<ProvisionedProduct> {
  const target = { type: "provisioned-product", id: product.id };
  try {
    const result = await asUser(identityOf(actor.user), change.context, change.call);
    const recordId = result.RecordDetail?.RecordId ?? null;
    const updated = await db.$transaction(async (tx) => {
      await tx.provisioningRecord.update({ where: { id: recordRowId }, data: { recordId, status: result.RecordDetail?.Status ?? "CREATED" } });
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
