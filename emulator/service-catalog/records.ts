import type { Principal } from "../core/identity";
import { randomId } from "../core/ids";
import type { Tag } from "../cloudformation/resources";
import { deleteStack, deployStack, type StackEnvironment } from "../cloudformation/stack";
import type { CatalogProduct } from "./catalog";
import { accessLevel, canActOn, visibleAt, type AccessLevel } from "./access";
import { InvalidParametersException, ResourceNotFoundException } from "./errors";
import { page } from "./paging";
import { Part } from "./part";
import { date, outputsOf, recordDetail } from "./shapes";
import { catalogArn } from "./views";
import { principalOf, type FailureOperation, type ProvisionedProduct, type RecordEntry, type RecordType, type RecordWork } from "./state";

/**
 * Records, Service Catalog's asynchronous requests: made by provisioning, update, termination,
 * property and plan operations, moved on by the clock (`tick`), each carrying out its work on the
 * product's stack when it completes. Idempotency tokens map to the record they made.
 */
export class Records extends Part {
  /**
   * The idempotent request most operations are: the earlier answer when the token was used
   * already (to the caller who may see it), otherwise the record `create` makes, remembered
   * under the token.
   */
  request(operation: string, token: string, caller: Principal, create: () => RecordEntry) {
    const previous = this.idempotent(operation, token);
    if (previous) return this.replay(caller, previous);
    const record = create();
    this.remember(operation, token, record.id);
    return { RecordDetail: recordDetail(record) };
  }

  /** Applies every transition that is due: records progress and complete, plans become ready. */
  tick(): boolean {
    const now = this.now();
    let changed = false;
    const due = Object.values(this.data.records)
      .filter((r) => r.status === "CREATED" || r.status === "IN_PROGRESS")
      .sort((a, b) => a.completesAt - b.completesAt);
    for (const record of due) {
      if (record.completesAt <= now) {
        this.complete(record, Math.max(record.completesAt, record.createdTime));
        changed = true;
      } else if (record.status === "CREATED" && record.inProgressAt <= now) {
        record.status = "IN_PROGRESS";
        record.updatedTime = record.inProgressAt;
        changed = true;
      }
    }
    for (const plan of Object.values(this.data.plans)) {
      if (plan.status === "CREATE_IN_PROGRESS" && plan.readyAt <= now) {
        plan.status = "CREATE_SUCCESS";
        plan.updatedTime = plan.readyAt;
        changed = true;
      }
    }
    return changed;
  }

  /** When the next transition is due (for the server's timer), if any. */
  nextDueAt(): number | undefined {
    const times: number[] = [];
    for (const r of Object.values(this.data.records)) {
      if (r.status === "CREATED") times.push(r.inProgressAt);
      if (r.status === "CREATED" || r.status === "IN_PROGRESS") times.push(r.completesAt);
    }
    for (const p of Object.values(this.data.plans)) if (p.status === "CREATE_IN_PROGRESS") times.push(p.readyAt);
    return times.length ? Math.min(...times) : undefined;
  }

  stackEnvironment(pp: ProvisionedProduct, at: number): StackEnvironment {
    return {
      region: this.data.region,
      account: this.data.account,
      stackId: pp.stackId,
      stackName: pp.stackName,
      now: date(at),
      exports: this.data.catalog.exports,
    };
  }

  /** The tags Service Catalog puts on the stack (and so on every resource), plus the user's. */
  private stackTags(pp: ProvisionedProduct, work: RecordWork): Tag[] {
    const product = this.catalog.productById(pp.productId)!;
    const portfolio = this.data.catalog.portfolios.find((p) => p.launchPathId === work.pathId);
    const arn = (type: "product" | "portfolio", id: string) => catalogArn(this.data.region, this.data.account, type, id);
    return [
      ...work.tags,
      ...(portfolio ? [{ Key: "aws:servicecatalog:portfolioArn", Value: arn("portfolio", portfolio.id) }] : []),
      { Key: "aws:servicecatalog:productArn", Value: arn("product", product.id) },
      { Key: "aws:servicecatalog:provisioningArtifactIdentifier", Value: work.artifactId },
      { Key: "aws:servicecatalog:provisionedProductArn", Value: pp.arn },
      { Key: "aws:servicecatalog:provisioningPrincipalArn", Value: work.principal.arn },
    ];
  }

  private fail(record: RecordEntry, description: string, at: number, code: string): void {
    record.status = "FAILED";
    record.errors = [{ Code: code, Description: description }];
    record.updatedTime = at;
  }

  private complete(record: RecordEntry, at: number): void {
    const pp = this.data.provisionedProducts[record.provisionedProductId];
    const plan = record.work.planId ? this.data.plans[record.work.planId] : undefined;
    if (!pp) {
      this.fail(record, "The provisioned product no longer exists.", at, "ResourceNotFound");
      return;
    }
    const artifact = this.catalog.artifactById(pp.productId, record.work.artifactId);
    if (record.type === "TERMINATE_PROVISIONED_PRODUCT") return this.completeTerminate(record, pp, at);
    if (record.type === "UPDATE_PROVISIONED_PRODUCT_PROPERTIES") return this.completeProperties(record, pp, at);

    const isCreate = record.type === "PROVISION_PRODUCT";
    const existing = isCreate ? undefined : this.data.stacks[pp.stackId];
    const env = this.stackEnvironment(pp, at);
    const result =
      record.work.failMessage !== undefined
        ? ({ ok: false, failure: { message: record.work.failMessage } } as const)
        : artifact
          ? deployStack(this.data.resources, existing, artifact.template, record.work.parameters, this.stackTags(pp, record.work), env)
          : ({ ok: false, failure: { message: `Provisioning artifact ${record.work.artifactId} no longer exists.` } } as const);
    pp.lastRecordId = record.id;
    if (result.ok) {
      this.data.resources = result.world;
      this.data.stacks[pp.stackId] = result.stack;
      record.status = "SUCCEEDED";
      record.updatedTime = at;
      record.outputs = outputsOf(pp, result.stack);
      pp.status = "AVAILABLE";
      delete pp.statusMessage;
      pp.lastSuccessfulProvisioningRecordId = record.id;
      pp.parameters = record.work.parameters;
      pp.artifactId = record.work.artifactId;
      pp.pathId = record.work.pathId;
      pp.tags = record.work.tags;
      if (plan) plan.status = "EXECUTE_SUCCESS";
    } else {
      this.fail(record, result.failure.message, at, isCreate ? "StackCreateFailed" : "StackUpdateFailed");
      // A failed create leaves an unusable product; a failed update rolls back and taints it.
      pp.status = isCreate ? "ERROR" : "TAINTED";
      pp.statusMessage = result.failure.message;
      if (plan) {
        plan.status = "EXECUTE_FAILED";
        plan.statusMessage = result.failure.message;
      }
    }
    if (plan) plan.updatedTime = at;
  }

  private completeTerminate(record: RecordEntry, pp: ProvisionedProduct, at: number): void {
    const stack = this.data.stacks[pp.stackId];
    let failure: string | undefined = record.work.failMessage;
    if (failure === undefined && stack) {
      const result = deleteStack(this.data.resources, stack, this.stackEnvironment(pp, at), record.work.retainPhysicalResources === true);
      if (result.ok) this.data.resources = result.world;
      else failure = result.failure.message;
    }
    pp.lastRecordId = record.id;
    if (failure !== undefined && !record.work.ignoreErrors) {
      this.fail(record, failure, at, "StackDeleteFailed");
      pp.status = "ERROR";
      pp.statusMessage = failure;
      return;
    }
    record.status = "SUCCEEDED";
    record.updatedTime = at;
    delete this.data.stacks[pp.stackId];
    delete this.data.provisionedProducts[pp.id];
    for (const plan of Object.values(this.data.plans)) if (plan.provisionedProductId === pp.id) delete this.data.plans[plan.id];
  }

  /** The new owner takes over when the properties record completes; the product returns to its status. */
  private completeProperties(record: RecordEntry, pp: ProvisionedProduct, at: number): void {
    const { OWNER: owner, LAUNCH_ROLE: launchRole } = record.work.properties ?? {};
    if (owner !== undefined) {
      pp.userArn = owner;
      pp.userArnSession = owner;
      // Plans follow the product; its records keep the owner they were made under.
      for (const plan of Object.values(this.data.plans)) if (plan.provisionedProductId === pp.id) plan.ownerArn = owner;
    }
    if (launchRole !== undefined) pp.launchRoleArn = launchRole;
    pp.status = record.work.statusBefore ?? "AVAILABLE";
    if (record.work.statusMessageBefore !== undefined) pp.statusMessage = record.work.statusMessageBefore;
    record.status = "SUCCEEDED";
    record.updatedTime = at;
  }

  /** Who owns a record's provisioned product now (for a terminated one: its last owner). */
  private currentOwnerOf(record: RecordEntry): string {
    const pp = this.data.provisionedProducts[record.provisionedProductId];
    if (pp) return pp.userArn;
    let latest = record;
    for (const r of Object.values(this.data.records)) if (r.provisionedProductId === record.provisionedProductId && r.createdTime >= latest.createdTime) latest = r;
    return latest.ownerArn;
  }

  newRecord(type: RecordType, pp: ProvisionedProduct, caller: Principal, work: RecordWork, durationMs: number): RecordEntry {
    const now = this.now();
    const record: RecordEntry = {
      id: randomId("rec-"),
      type,
      status: "CREATED",
      createdTime: now,
      updatedTime: now,
      // A short CREATED phase, then IN_PROGRESS until the duration has passed.
      inProgressAt: now + Math.min(250, Math.floor(durationMs / 4)),
      completesAt: now + durationMs,
      provisionedProductId: pp.id,
      provisionedProductName: pp.name,
      productId: pp.productId,
      artifactId: work.artifactId,
      pathId: work.pathId,
      callerArn: caller.arn,
      ownerArn: pp.userArn,
      ...(pp.launchRoleArn ? { launchRoleArn: pp.launchRoleArn } : {}),
      errors: [],
      tags: work.tags,
      outputs: [],
      work,
    };
    this.data.records[record.id] = record;
    pp.lastRecordId = record.id;
    if (type === "PROVISION_PRODUCT" || type === "UPDATE_PROVISIONED_PRODUCT") pp.lastProvisioningRecordId = record.id;
    pp.status = "UNDER_CHANGE";
    delete pp.statusMessage;
    return record;
  }

  idempotent(operation: string, token: string): string | undefined {
    return this.data.tokens[`${operation}|${token}`];
  }

  remember(operation: string, token: string, id: string): void {
    this.data.tokens[`${operation}|${token}`] = id;
  }

  replay(caller: Principal, recordId: string) {
    const record = this.data.records[recordId]!;
    if (record.callerArn !== caller.arn && !canActOn(caller, this.currentOwnerOf(record))) {
      throw new InvalidParametersException("The idempotency token was already used by another request.");
    }
    return { RecordDetail: recordDetail(record) };
  }

  /** What a record will do, as whom, and the failure injected for it (if one is queued). */
  recordWork(caller: Principal, product: CatalogProduct, operation: FailureOperation, work: Omit<RecordWork, "principal" | "failMessage">): RecordWork {
    const message = this.options.takeInjectedFailure({ id: product.id, name: product.name }, operation);
    return { ...work, principal: principalOf(caller), ...(message === undefined ? {} : { failMessage: message }) };
  }

  /** The product's current owner may describe all its records; a previous owner none of them. */
  describeRecord(caller: Principal, input: { Id?: string; PageSize?: number; PageToken?: string }) {
    const record = input.Id ? this.data.records[input.Id] : undefined;
    if (!record || !canActOn(caller, this.currentOwnerOf(record))) {
      throw new ResourceNotFoundException(`Record not found: ${input.Id}`);
    }
    const { items, next } = page(record.status === "SUCCEEDED" ? record.outputs : [], input.PageSize, input.PageToken, 20);
    return { RecordDetail: recordDetail(record), RecordOutputs: items, NextPageToken: next };
  }

  /**
   * A record is listed to whoever owned the product when it was made (a previous owner keeps the
   * history of their time) and to the product's current owner (all of it).
   */
  listRecordHistory(caller: Principal, input: { AccessLevelFilter?: AccessLevel; SearchFilter?: { Key?: string; Value?: string }; PageSize?: number; PageToken?: string }) {
    const level = accessLevel(caller, input.AccessLevelFilter, "ListRecordHistory");
    let records = Object.values(this.data.records).filter((r) => visibleAt(caller, level, r.ownerArn) || visibleAt(caller, level, this.currentOwnerOf(r)));
    const filter = input.SearchFilter;
    if (filter?.Key) {
      if (filter.Key !== "product" && filter.Key !== "provisionedproduct") throw new InvalidParametersException(`Invalid search filter key: ${filter.Key}`);
      records = records.filter((r) => (filter.Key === "product" ? r.productId === filter.Value : r.provisionedProductId === filter.Value));
    }
    records.sort((a, b) => b.createdTime - a.createdTime);
    const { items, next } = page(records, input.PageSize, input.PageToken, 20);
    return { RecordDetails: items.map((r) => recordDetail(r)), NextPageToken: next };
  }
}
