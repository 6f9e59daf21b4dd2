import { randomUUID } from "node:crypto";
import type { Principal, RoleName } from "../core/identity";
import { randomId } from "../core/ids";
import { ConstraintCollector, fullMatch } from "../core/validation";
import { TemplateError } from "../cloudformation/intrinsics";
import { describeTemplateParameters, ParameterValidationError, resolveParameterValues, type ParameterInput } from "../cloudformation/parameters";
import { emptyWorld, type Tag, type World } from "../cloudformation/resources";
import { deleteStack, deployStack, planStackChanges, type ResourceChange, type Stack, type StackEnvironment } from "../cloudformation/stack";
import type { Template } from "../cloudformation/template";
import type { Catalog, CatalogArtifact, CatalogPortfolio, CatalogProduct } from "./catalog";
import { constraintSummaries, tagUpdatePolicy } from "./constraints";
import { AccessDeniedException, DuplicateResourceException, InvalidParametersException, InvalidStateException, ResourceNotFoundException } from "./errors";
import { page } from "./paging";
import { ACCESS_LEVELS } from "./permissions";
import { artifactSummary, catalogArn, productViewSummary, searchProductViews } from "./views";

/**
 * The rules of Service Catalog, without HTTP (moto's models.py): catalog browsing, provisioned
 * products and their asynchronous records, plans, ownership and access levels. One backend per
 * account and region; its `data` is plain JSON so it can be persisted as is.
 */

export type RecordType = "PROVISION_PRODUCT" | "UPDATE_PROVISIONED_PRODUCT" | "TERMINATE_PROVISIONED_PRODUCT" | "UPDATE_PROVISIONED_PRODUCT_PROPERTIES";
export type RecordStatus = "CREATED" | "IN_PROGRESS" | "IN_PROGRESS_IN_ERROR" | "SUCCEEDED" | "FAILED";
export type ProvisionedProductStatus = "AVAILABLE" | "UNDER_CHANGE" | "TAINTED" | "ERROR" | "PLAN_IN_PROGRESS";
export type FailureOperation = "PROVISION" | "UPDATE" | "TERMINATE";

export type ProvisioningPrincipal = { arn: string; sourceIdentity?: string; sessionTags: Tag[] };

export type ProvisionedProduct = {
  id: string;
  name: string;
  arn: string;
  type: "CFN_STACK";
  status: ProvisionedProductStatus;
  statusMessage?: string;
  createdTime: number;
  idempotencyToken: string;
  lastRecordId?: string;
  lastProvisioningRecordId?: string;
  lastSuccessfulProvisioningRecordId?: string;
  productId: string;
  artifactId: string;
  pathId: string;
  /** The owner (OWNER property): an assumed-role session ARN or another principal in the account. */
  userArn: string;
  userArnSession: string;
  launchRoleArn?: string;
  /** The user's tags (Service Catalog's RecordTags / Tags). */
  tags: Tag[];
  parameters: Record<string, string>;
  stackId: string;
  stackName: string;
  /** Who provisioned it, with the session's tags and source identity. */
  provisioningPrincipal: ProvisioningPrincipal;
};

export type PropertyKey = "OWNER" | "LAUNCH_ROLE";

type RecordWork = {
  parameters: Record<string, string>;
  artifactId: string;
  pathId: string;
  tags: Tag[];
  principal: ProvisioningPrincipal;
  failMessage?: string;
  retainPhysicalResources?: boolean;
  ignoreErrors?: boolean;
  planId?: string;
  /** UPDATE_PROVISIONED_PRODUCT_PROPERTIES: what to set, and the status to return to. */
  properties?: Partial<Record<PropertyKey, string>>;
  statusBefore?: ProvisionedProductStatus;
  statusMessageBefore?: string;
};

export type RecordEntry = {
  id: string;
  type: RecordType;
  status: RecordStatus;
  createdTime: number;
  updatedTime: number;
  inProgressAt: number;
  completesAt: number;
  provisionedProductId: string;
  provisionedProductName: string;
  productId: string;
  artifactId: string;
  pathId: string;
  /** Who made the request. */
  callerArn: string;
  /**
   * The provisioned product's owner when the record was made. It does not follow a transfer: the
   * previous owner keeps these records in ListRecordHistory, while DescribeRecord asks the
   * product's current owner (AWS's UpdateProvisionedProductProperties documentation).
   */
  ownerArn: string;
  launchRoleArn?: string;
  errors: Array<{ Code: string; Description: string }>;
  tags: Tag[];
  outputs: Array<{ OutputKey: string; OutputValue: string; Description?: string }>;
  work: RecordWork;
};

export type PlanStatus = "CREATE_IN_PROGRESS" | "CREATE_SUCCESS" | "CREATE_FAILED" | "EXECUTE_IN_PROGRESS" | "EXECUTE_SUCCESS" | "EXECUTE_FAILED";

export type Plan = {
  id: string;
  name: string;
  type: "CLOUDFORMATION";
  provisionedProductId: string;
  provisionedProductName: string;
  /** The plan created the provisioned product (status PLAN_IN_PROGRESS until executed). */
  createsProduct: boolean;
  productId: string;
  artifactId: string;
  pathId: string;
  parameters: ParameterInput[];
  resolvedParameters: Record<string, string>;
  tags: Tag[];
  notificationArns: string[];
  status: PlanStatus;
  statusMessage?: string;
  createdTime: number;
  updatedTime: number;
  readyAt: number;
  ownerArn: string;
  principal: ProvisioningPrincipal;
  resourceChanges: ResourceChange[];
  executeRecordId?: string;
};

export type ScData = {
  account: string;
  region: string;
  catalog: Catalog;
  provisionedProducts: Record<string, ProvisionedProduct>;
  records: Record<string, RecordEntry>;
  plans: Record<string, Plan>;
  stacks: Record<string, Stack>;
  resources: World;
  /** `<operation>|<token>` -> record or plan id (idempotency). */
  tokens: Record<string, string>;
};

export function emptyScData(account: string, region: string, catalog: Catalog): ScData {
  return { account, region, catalog, provisionedProducts: {}, records: {}, plans: {}, stacks: {}, resources: emptyWorld(), tokens: {} };
}

export type Timings = { provisionMs: number; updateMs: number; terminateMs: number };

export type ScOptions = {
  now: () => number;
  timings: Timings;
  /** One-shot failure injected by the faults endpoint for this product and operation, if any. */
  takeInjectedFailure: (product: { id: string; name: string }, operation: FailureOperation) => string | undefined;
};

type AccessLevel = { Key?: string; Value?: string };

const NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9._-]*";
const NAME = fullMatch(NAME_PATTERN);
const TOKEN = fullMatch("[a-zA-Z0-9][a-zA-Z0-9_-]*");
const TAG_TEXT = fullMatch("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
const TAG_PATTERN_TEXT = "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$";
/** OWNER: "user ARNs, IAM role ARNs, and STS assumed-role ARNs" (the account is checked separately). */
const PRINCIPAL_ARN = /^arn:aws:(?:iam::(\d{12}):(?:user|role)\/[\w+=,.@/-]+|sts::(\d{12}):assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
/** How long an UPDATE_PROVISIONED_PRODUCT_PROPERTIES record stays in progress, at most. */
const PROPERTIES_UPDATE_MS = 1000;
const SEARCH_KEYS = [
  "arn",
  "createdTime",
  "id",
  "lastRecordId",
  "idempotencyToken",
  "name",
  "physicalId",
  "productId",
  "provisioningArtifactId",
  "type",
  "status",
  "tags",
  "userArn",
  "userArnSession",
  "lastProvisioningRecordId",
  "lastSuccessfulProvisioningRecordId",
  "productName",
  "provisioningArtifactName",
];

function roleOf(caller: Principal): RoleName | undefined {
  return caller.kind === "assumed-role" ? caller.roleName : undefined;
}

function roleNameInArn(arn: string): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(arn)?.[1] ?? /:role\/(.+)$/.exec(arn)?.[1];
}

function principalOf(caller: Principal): ProvisioningPrincipal {
  return caller.kind === "assumed-role"
    ? { arn: caller.arn, ...(caller.sourceIdentity ? { sourceIdentity: caller.sourceIdentity } : {}), sessionTags: caller.sessionTags }
    : { arn: caller.arn, sessionTags: [] };
}

function date(ms: number): Date {
  return new Date(ms);
}

export class ServiceCatalogBackend {
  constructor(
    readonly data: ScData,
    private readonly options: ScOptions,
  ) {}

  // ---------------------------------------------------------------- lifecycle

  private now(): number {
    return this.options.now();
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

  private stackEnvironment(pp: ProvisionedProduct, at: number): StackEnvironment {
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
    const product = this.productById(pp.productId)!;
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
    const artifact = this.artifactById(pp.productId, record.work.artifactId);
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
      record.outputs = this.outputsOf(pp, result.stack);
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

  private outputsOf(pp: ProvisionedProduct, stack: Stack) {
    return [
      { OutputKey: "CloudformationStackARN", OutputValue: pp.stackId, Description: "The ARN of the launched Cloudformation Stack" },
      ...stack.outputs.map((o) => ({ OutputKey: o.OutputKey, OutputValue: o.OutputValue, ...(o.Description ? { Description: o.Description } : {}) })),
    ];
  }

  // ---------------------------------------------------------------- catalog

  private productById(id: string): CatalogProduct | undefined {
    return this.data.catalog.products.find((p) => p.id === id);
  }

  private artifactById(productId: string, artifactId: string): CatalogArtifact | undefined {
    return this.productById(productId)?.artifacts.find((a) => a.id === artifactId);
  }

  /** Portfolios shared with the caller's role (its launch paths). */
  private portfoliosFor(caller: Principal): CatalogPortfolio[] {
    const role = caller.kind === "assumed-role" ? caller.roleArn : caller.arn;
    return this.data.catalog.portfolios.filter((p) => p.principals.includes(role));
  }

  private visibleProducts(caller: Principal): CatalogProduct[] {
    const ids = new Set(this.portfoliosFor(caller).flatMap((p) => p.productIds));
    return this.data.catalog.products.filter((p) => ids.has(p.id));
  }

  private productFor(caller: Principal, input: { id?: string; name?: string }, label = "Product"): CatalogProduct {
    if (!input.id && !input.name) throw new InvalidParametersException(`${label} Id or Name is required.`);
    const product = this.visibleProducts(caller).find((p) => (input.id ? p.id === input.id : p.name === input.name));
    if (!product) throw new ResourceNotFoundException(`${label} not found: ${input.id ?? input.name}`);
    return product;
  }

  private launchPathsOf(caller: Principal, product: CatalogProduct): CatalogPortfolio[] {
    return this.portfoliosFor(caller).filter((p) => p.productIds.includes(product.id));
  }

  searchProducts(caller: Principal, input: { Filters?: Record<string, string[]>; SortBy?: string; SortOrder?: string; PageSize?: number; PageToken?: string }) {
    const { items, next } = page(searchProductViews(this.visibleProducts(caller), input), input.PageSize, input.PageToken, 100);
    return { ProductViewSummaries: items.map((p) => productViewSummary(p)), ProductViewAggregations: {}, NextPageToken: next };
  }

  describeProduct(caller: Principal, input: { Id?: string; Name?: string }) {
    const product = this.productFor(caller, { id: input.Id, name: input.Name });
    return {
      ProductViewSummary: productViewSummary(product),
      ProvisioningArtifacts: product.artifacts.filter((a) => a.active).map((a) => artifactSummary(a)),
      Budgets: [],
      LaunchPaths: this.launchPathsOf(caller, product).map((p) => ({ Id: p.launchPathId, Name: p.displayName })),
    };
  }

  describeProductView(caller: Principal, input: { Id?: string }) {
    const product = this.visibleProducts(caller).find((p) => p.viewId === input.Id);
    if (!product) throw new ResourceNotFoundException(`Product view not found: ${input.Id}`);
    return { ProductViewSummary: productViewSummary(product), ProvisioningArtifacts: product.artifacts.filter((a) => a.active).map((a) => artifactSummary(a)) };
  }

  listLaunchPaths(caller: Principal, input: { ProductId?: string; PageSize?: number; PageToken?: string }) {
    const product = this.productFor(caller, { id: input.ProductId });
    const { items, next } = page(this.launchPathsOf(caller, product), input.PageSize, input.PageToken, 20);
    return {
      LaunchPathSummaries: items.map((p) => ({
        Id: p.launchPathId,
        Name: p.displayName,
        ConstraintSummaries: constraintSummaries(p, product.id),
        Tags: [],
      })),
      NextPageToken: next,
    };
  }

  private artifactFor(product: CatalogProduct, input: { id?: string; name?: string }): CatalogArtifact {
    if (!input.id && !input.name) throw new InvalidParametersException("ProvisioningArtifactId or ProvisioningArtifactName is required.");
    const artifact = product.artifacts.find((a) => (input.id ? a.id === input.id : a.name === input.name));
    if (!artifact) throw new ResourceNotFoundException(`Provisioning artifact not found: ${input.id ?? input.name} (product ${product.id})`);
    return artifact;
  }

  private pathFor(caller: Principal, product: CatalogProduct, input: { id?: string; name?: string }): CatalogPortfolio {
    const paths = this.launchPathsOf(caller, product);
    if (input.id || input.name) {
      const path = paths.find((p) => (input.id ? p.launchPathId === input.id : p.displayName === input.name));
      if (!path) throw new ResourceNotFoundException(`Launch path not found: ${input.id ?? input.name}`);
      return path;
    }
    if (paths.length === 1) return paths[0]!;
    throw new InvalidParametersException(`The product ${product.id} has ${paths.length} launch paths; specify PathId.`);
  }

  /** TagOptions of a launch: the portfolio's and the product's, merged by key. */
  private tagOptionsFor(product: CatalogProduct, path: CatalogPortfolio): Record<string, string[]> {
    const merged: Record<string, string[]> = {};
    for (const source of [path.tagOptions, product.tagOptions]) {
      for (const [key, values] of Object.entries(source)) merged[key] = [...new Set([...(merged[key] ?? []), ...values])];
    }
    return merged;
  }

  /** AWS's entries in AWS's order (rules, version, launchAsRole, tagUpdateOnProvisionedProduct), then the how-to text. */
  private usageInstructions(product: CatalogProduct, template: Template, path: CatalogPortfolio) {
    return [
      { Type: "rules", Value: "{}" },
      { Type: "version", Value: template.AWSTemplateFormatVersion ?? "2010-09-09" },
      ...(path.launchConstraint ? [{ Type: "launchAsRole", Value: path.launchConstraint.roleArn }] : []),
      { Type: "tagUpdateOnProvisionedProduct", Value: tagUpdatePolicy(path, product.id) },
      ...(product.usageInstructions ? [{ Type: "instructions", Value: product.usageInstructions }] : []),
    ];
  }

  describeProvisioningParameters(caller: Principal, input: { ProductId?: string; ProductName?: string; ProvisioningArtifactId?: string; ProvisioningArtifactName?: string; PathId?: string; PathName?: string }) {
    const product = this.productFor(caller, { id: input.ProductId, name: input.ProductName });
    const artifact = this.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName });
    const path = this.pathFor(caller, product, { id: input.PathId, name: input.PathName });
    const outputs = Object.entries(artifact.template.Outputs ?? {}).map(([key, o]) => ({ Key: key, Description: o.Description }));
    return {
      ProvisioningArtifactParameters: describeTemplateParameters(artifact.template),
      ConstraintSummaries: constraintSummaries(path, product.id),
      UsageInstructions: this.usageInstructions(product, artifact.template, path),
      TagOptions: Object.entries(this.tagOptionsFor(product, path)).map(([Key, Values]) => ({ Key, Values })),
      ProvisioningArtifactPreferences: {},
      ProvisioningArtifactOutputs: outputs,
      ProvisioningArtifactOutputKeys: outputs,
    };
  }

  describeProvisioningArtifact(
    caller: Principal,
    input: { ProductId?: string; ProductName?: string; ProvisioningArtifactId?: string; ProvisioningArtifactName?: string; Verbose?: boolean; IncludeProvisioningArtifactParameters?: boolean },
    templateUrl: (productId: string, artifactId: string) => string,
  ) {
    const product = this.productFor(caller, { id: input.ProductId, name: input.ProductName });
    const artifact = this.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName });
    return {
      ProvisioningArtifactDetail: this.artifactDetail(artifact),
      Info: input.Verbose ? { TemplateUrl: templateUrl(product.id, artifact.id) } : {},
      Status: "AVAILABLE",
      ProvisioningArtifactParameters: input.IncludeProvisioningArtifactParameters ? describeTemplateParameters(artifact.template) : undefined,
    };
  }

  private artifactDetail(artifact: CatalogArtifact) {
    return { ...artifactSummary(artifact), Type: "CLOUD_FORMATION_TEMPLATE", Active: artifact.active };
  }

  listProvisioningArtifacts(caller: Principal, input: { ProductId?: string }) {
    const product = this.productFor(caller, { id: input.ProductId });
    return { ProvisioningArtifactDetails: product.artifacts.map((a) => this.artifactDetail(a)) };
  }

  /** The template behind an artifact (served to TemplateUrl), regardless of caller. */
  templateOf(productId: string, artifactId: string): Template | undefined {
    return this.artifactById(productId, artifactId)?.template;
  }

  // ---------------------------------------------------------------- validation

  private validateName(name: string | undefined, field = "provisionedProductName"): string {
    const checks = new ConstraintCollector();
    if (name === undefined) checks.add("null", field, "not be null");
    checks.string(name, field, { min: 1, max: 128, pattern: NAME, patternText: NAME_PATTERN });
    if (checks.message) throw new InvalidParametersException(checks.message);
    return name!;
  }

  private validateToken(token: string | undefined, field: string): string {
    const checks = new ConstraintCollector();
    if (token === undefined) checks.add("null", field, "not be null");
    checks.string(token, field, { min: 1, max: 128, pattern: TOKEN, patternText: "[a-zA-Z0-9][a-zA-Z0-9_-]*" });
    if (checks.message) throw new InvalidParametersException(checks.message);
    return token!;
  }

  /** The model's rules for a Tags member (at most 50, lengths, characters): checked on every request. */
  private checkTagShapes(tags: Tag[] | undefined): void {
    const given = tags ?? [];
    const checks = new ConstraintCollector();
    if (given.length > 50) checks.add(given.map((t) => `${t.Key}=${t.Value}`), "tags", "have length less than or equal to 50");
    given.forEach((tag, i) => {
      const path = `tags.${i + 1}.member`;
      if (typeof tag.Key !== "string") checks.add("null", `${path}.key`, "not be null");
      if (typeof tag.Value !== "string") checks.add("null", `${path}.value`, "not be null");
      checks.string(tag.Key, `${path}.key`, { min: 1, max: 128, pattern: TAG_TEXT, patternText: TAG_PATTERN_TEXT });
      checks.string(tag.Value, `${path}.value`, { min: 1, max: 256, pattern: TAG_TEXT, patternText: TAG_PATTERN_TEXT });
    });
    if (checks.message) throw new InvalidParametersException(checks.message);
  }

  /** The user's tags: AWS's limits and character rules, no `aws:` keys, and the launch's TagOptions. */
  private validateTags(tags: Tag[] | undefined, tagOptions: Record<string, string[]>): Tag[] {
    this.checkTagShapes(tags);
    const given = tags ?? [];
    const seen = new Set<string>();
    for (const tag of given) {
      if (tag.Key.toLowerCase().startsWith("aws:")) throw new InvalidParametersException(`Tag key '${tag.Key}' is not valid: keys starting with 'aws:' are reserved for AWS use.`);
      if (seen.has(tag.Key)) throw new InvalidParametersException(`Tag key '${tag.Key}' is specified more than once; tag keys must be unique.`);
      seen.add(tag.Key);
    }
    const result = given.map((t) => ({ Key: t.Key, Value: t.Value }));
    for (const [key, values] of Object.entries(tagOptions)) {
      const tag = result.find((t) => t.Key === key);
      if (tag) {
        if (!values.includes(tag.Value)) {
          throw new InvalidParametersException(`Tag value '${tag.Value}' is not allowed for TagOption key '${key}'. Allowed values: ${values.join(", ")}.`);
        }
      } else if (values.length === 1) {
        result.push({ Key: key, Value: values[0]! });
      } else {
        throw new InvalidParametersException(`TagOption key '${key}' requires a value: add a tag '${key}' with one of ${values.join(", ")}.`);
      }
    }
    if (result.length > 50) throw new InvalidParametersException("Too many tags: a provisioned product can have at most 50 tags, including TagOptions.");
    return result;
  }

  private resolveParameters(template: Template, given: ParameterInput[] | undefined, previous?: Record<string, string>): Record<string, string> {
    const checks = new ConstraintCollector();
    (given ?? []).forEach((p, i) => {
      if (typeof p.Key !== "string") checks.add("null", `provisioningParameters.${i + 1}.member.key`, "not be null");
      else checks.string(p.Key, `provisioningParameters.${i + 1}.member.key`, { min: 1, max: 1000 });
      checks.string(p.Value, `provisioningParameters.${i + 1}.member.value`, { max: 4096 });
    });
    if (checks.message) throw new InvalidParametersException(checks.message);
    try {
      return resolveParameterValues(template, given ?? [], previous);
    } catch (error) {
      if (error instanceof ParameterValidationError) throw new InvalidParametersException(error.message);
      throw error;
    }
  }

  // ---------------------------------------------------------------- ownership

  /**
   * The AccessLevelFilter of a listing. Its default is the operation's: User for ListRecordHistory
   * and ScanProvisionedProducts, Account for SearchProvisionedProducts. Value: "The only
   * supported value is self".
   */
  private accessLevel(caller: Principal, filter: AccessLevel | undefined, action: string, defaultKey: "User" | "Account" = "User"): "User" | "Role" | "Account" {
    const key = filter?.Key ?? defaultKey;
    if (key !== "User" && key !== "Role" && key !== "Account") {
      throw new InvalidParametersException(`1 validation error detected: Value '${key}' at 'accessLevelFilter.key' failed to satisfy constraint: Member must satisfy enum value set: [Account, Role, User]`);
    }
    if (filter?.Value !== undefined && filter.Value.toLowerCase() !== "self") {
      throw new InvalidParametersException(`Invalid AccessLevelFilter value '${filter.Value}': the only supported value is self.`);
    }
    const role = roleOf(caller);
    if (!role || !ACCESS_LEVELS[role].includes(key)) {
      throw new AccessDeniedException(caller.arn, `servicecatalog:${action}`, `with AccessLevelFilter ${key}: the ${key === "Account" ? "servicecatalog:accountLevel" : "servicecatalog:roleLevel"} condition is not allowed for this role`);
    }
    return key;
  }

  private visibleAt(caller: Principal, level: "User" | "Role" | "Account", ownerArn: string): boolean {
    if (level === "Account") return true;
    if (level === "Role") return roleNameInArn(ownerArn) === roleOf(caller);
    return ownerArn === caller.arn;
  }

  /** The widest access level the caller's role allows (what Describe/Update/Terminate use). */
  private canActOn(caller: Principal, ownerArn: string): boolean {
    const role = roleOf(caller);
    if (!role) return false;
    const levels = ACCESS_LEVELS[role];
    return this.visibleAt(caller, levels.includes("Account") ? "Account" : levels.includes("Role") ? "Role" : "User", ownerArn);
  }

  private provisionedProductFor(caller: Principal, input: { id?: string; name?: string }): ProvisionedProduct {
    if (!input.id && !input.name) throw new InvalidParametersException("ProvisionedProductId or ProvisionedProductName is required.");
    const pp = Object.values(this.data.provisionedProducts).find((p) => (input.id ? p.id === input.id : p.name === input.name || p.arn === input.name));
    // Another user's product looks the same as one that does not exist.
    if (!pp || !this.canActOn(caller, pp.userArn)) throw new ResourceNotFoundException(`Provisioned product not found: ${input.id ?? input.name}`);
    return pp;
  }

  /**
   * Another operation is in progress. Each operation refuses with an error its model lists:
   * InvalidParametersException (UpdateProvisionedProduct, TerminateProvisionedProduct) or
   * InvalidStateException (plans, UpdateProvisionedProductProperties).
   */
  private assertChangeable(pp: ProvisionedProduct, refuse: new (message: string) => Error): void {
    if (pp.status === "UNDER_CHANGE") {
      throw new refuse(`The provisioned product ${pp.name} (${pp.id}) is UNDER_CHANGE: another operation is in progress. Wait until it completes.`);
    }
  }

  /** Who owns a record's provisioned product now (for a terminated one: its last owner). */
  private currentOwnerOf(record: RecordEntry): string {
    const pp = this.data.provisionedProducts[record.provisionedProductId];
    if (pp) return pp.userArn;
    let latest = record;
    for (const r of Object.values(this.data.records)) if (r.provisionedProductId === record.provisionedProductId && r.createdTime >= latest.createdTime) latest = r;
    return latest.ownerArn;
  }

  // ---------------------------------------------------------------- records

  private newRecord(type: RecordType, pp: ProvisionedProduct, caller: Principal, work: RecordWork, durationMs: number): RecordEntry {
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

  private recordDetail(record: RecordEntry) {
    return {
      RecordId: record.id,
      ProvisionedProductName: record.provisionedProductName,
      Status: record.status,
      CreatedTime: date(record.createdTime),
      UpdatedTime: date(record.updatedTime),
      ProvisionedProductType: "CFN_STACK",
      RecordType: record.type,
      ProvisionedProductId: record.provisionedProductId,
      ProductId: record.productId,
      ProvisioningArtifactId: record.artifactId,
      PathId: record.pathId,
      RecordErrors: record.errors,
      RecordTags: record.tags,
      LaunchRoleArn: record.launchRoleArn,
    };
  }

  private idempotent(operation: string, token: string): string | undefined {
    return this.data.tokens[`${operation}|${token}`];
  }

  private remember(operation: string, token: string, id: string): void {
    this.data.tokens[`${operation}|${token}`] = id;
  }

  private replay(caller: Principal, recordId: string) {
    const record = this.data.records[recordId]!;
    if (record.callerArn !== caller.arn && !this.canActOn(caller, this.currentOwnerOf(record))) {
      throw new InvalidParametersException("The idempotency token was already used by another request.");
    }
    return { RecordDetail: this.recordDetail(record) };
  }

  provisionProduct(
    caller: Principal,
    input: {
      ProductId?: string;
      ProductName?: string;
      ProvisioningArtifactId?: string;
      ProvisioningArtifactName?: string;
      PathId?: string;
      PathName?: string;
      ProvisionedProductName?: string;
      ProvisioningParameters?: ParameterInput[];
      Tags?: Tag[];
      NotificationArns?: string[];
      ProvisionToken?: string;
    },
  ) {
    const token = this.validateToken(input.ProvisionToken, "provisionToken");
    const name = this.validateName(input.ProvisionedProductName);
    const previous = this.idempotent("ProvisionProduct", token);
    if (previous) return this.replay(caller, previous);

    const product = this.productFor(caller, { id: input.ProductId, name: input.ProductName });
    const artifact = this.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName });
    if (!artifact.active) throw new InvalidParametersException(`Provisioning artifact ${artifact.id} is not active.`);
    if (artifact.deprecated) {
      throw new InvalidParametersException(`Provisioning artifact ${artifact.id} (${artifact.name}) is deprecated: new provisioned products cannot be launched with it. Choose a current version.`);
    }
    const path = this.pathFor(caller, product, { id: input.PathId, name: input.PathName });
    const tags = this.validateTags(input.Tags, this.tagOptionsFor(product, path));
    const parameters = this.resolveParameters(artifact.template, input.ProvisioningParameters);
    this.assertNameFree(name);

    const pp = this.newProvisionedProduct(caller, { name, token, product, artifact, path, tags, parameters });
    const work = this.recordWork(caller, product, "PROVISION", { parameters, artifactId: artifact.id, pathId: path.launchPathId, tags });
    const record = this.newRecord("PROVISION_PRODUCT", pp, caller, work, this.options.timings.provisionMs);
    this.remember("ProvisionProduct", token, record.id);
    return { RecordDetail: this.recordDetail(record) };
  }

  /** What a record will do, as whom, and the failure injected for it (if one is queued). */
  private recordWork(caller: Principal, product: CatalogProduct, operation: FailureOperation, work: Omit<RecordWork, "principal" | "failMessage">): RecordWork {
    const message = this.options.takeInjectedFailure({ id: product.id, name: product.name }, operation);
    return { ...work, principal: principalOf(caller), ...(message === undefined ? {} : { failMessage: message }) };
  }

  private assertNameFree(name: string): void {
    if (Object.values(this.data.provisionedProducts).some((p) => p.name === name)) {
      throw new DuplicateResourceException(`A provisioned product with the name '${name}' already exists in this account.`);
    }
  }

  private newProvisionedProduct(
    caller: Principal,
    input: { name: string; token: string; product: CatalogProduct; artifact: CatalogArtifact; path: CatalogPortfolio; tags: Tag[]; parameters: Record<string, string>; status?: ProvisionedProductStatus },
  ): ProvisionedProduct {
    const id = randomId("pp-");
    const stackName = `SC-${this.data.account}-${id}`;
    const pp: ProvisionedProduct = {
      id,
      name: input.name,
      arn: `arn:aws:servicecatalog:${this.data.region}:${this.data.account}:stack/${input.name}/${id}`,
      type: "CFN_STACK",
      status: input.status ?? "UNDER_CHANGE",
      createdTime: this.now(),
      idempotencyToken: input.token,
      productId: input.product.id,
      artifactId: input.artifact.id,
      pathId: input.path.launchPathId,
      userArn: caller.arn,
      userArnSession: caller.arn,
      ...(input.path.launchConstraint ? { launchRoleArn: input.path.launchConstraint.roleArn } : {}),
      tags: input.tags,
      parameters: input.parameters,
      stackId: `arn:aws:cloudformation:${this.data.region}:${this.data.account}:stack/${stackName}/${randomUUID()}`,
      stackName,
      provisioningPrincipal: principalOf(caller),
    };
    this.data.provisionedProducts[id] = pp;
    return pp;
  }

  /** The product's current owner may describe all its records; a previous owner none of them. */
  describeRecord(caller: Principal, input: { Id?: string; PageSize?: number; PageToken?: string }) {
    const record = input.Id ? this.data.records[input.Id] : undefined;
    if (!record || !this.canActOn(caller, this.currentOwnerOf(record))) {
      throw new ResourceNotFoundException(`Record not found: ${input.Id}`);
    }
    const { items, next } = page(record.status === "SUCCEEDED" ? record.outputs : [], input.PageSize, input.PageToken, 20);
    return { RecordDetail: this.recordDetail(record), RecordOutputs: items, NextPageToken: next };
  }

  /**
   * A record is listed to whoever owned the product when it was made (a previous owner keeps the
   * history of their time) and to the product's current owner (all of it).
   */
  listRecordHistory(caller: Principal, input: { AccessLevelFilter?: AccessLevel; SearchFilter?: { Key?: string; Value?: string }; PageSize?: number; PageToken?: string }) {
    const level = this.accessLevel(caller, input.AccessLevelFilter, "ListRecordHistory");
    let records = Object.values(this.data.records).filter((r) => this.visibleAt(caller, level, r.ownerArn) || this.visibleAt(caller, level, this.currentOwnerOf(r)));
    const filter = input.SearchFilter;
    if (filter?.Key) {
      if (filter.Key !== "product" && filter.Key !== "provisionedproduct") throw new InvalidParametersException(`Invalid search filter key: ${filter.Key}`);
      records = records.filter((r) => (filter.Key === "product" ? r.productId === filter.Value : r.provisionedProductId === filter.Value));
    }
    records.sort((a, b) => b.createdTime - a.createdTime);
    const { items, next } = page(records, input.PageSize, input.PageToken, 20);
    return { RecordDetails: items.map((r) => this.recordDetail(r)), NextPageToken: next };
  }

  // ---------------------------------------------------------------- provisioned products

  /** Fields ProvisionedProductAttribute (search/scan) and ProvisionedProductDetail (describe) share. */
  private common(pp: ProvisionedProduct) {
    return {
      Name: pp.name,
      Arn: pp.arn,
      Type: pp.type,
      Id: pp.id,
      Status: pp.status,
      StatusMessage: pp.statusMessage,
      CreatedTime: date(pp.createdTime),
      IdempotencyToken: pp.idempotencyToken,
      LastRecordId: pp.lastRecordId,
      LastProvisioningRecordId: pp.lastProvisioningRecordId,
      LastSuccessfulProvisioningRecordId: pp.lastSuccessfulProvisioningRecordId,
      ProductId: pp.productId,
      ProvisioningArtifactId: pp.artifactId,
    };
  }

  private attribute(pp: ProvisionedProduct) {
    return {
      ...this.common(pp),
      Tags: pp.tags,
      PhysicalId: pp.stackId,
      ProductName: this.productById(pp.productId)?.name,
      ProvisioningArtifactName: this.artifactById(pp.productId, pp.artifactId)?.name,
      UserArn: pp.userArn,
      UserArnSession: pp.userArnSession,
    };
  }

  private detail(pp: ProvisionedProduct) {
    return { ...this.common(pp), LaunchRoleArn: pp.launchRoleArn };
  }

  private matchesQuery(pp: ProvisionedProduct, query: string): boolean {
    const attribute = this.attribute(pp);
    const fields: Record<string, string[]> = {
      arn: [pp.arn],
      createdTime: [date(pp.createdTime).toISOString()],
      id: [pp.id],
      lastRecordId: [pp.lastRecordId ?? ""],
      idempotencyToken: [pp.idempotencyToken],
      name: [pp.name],
      physicalId: [pp.stackId],
      productId: [pp.productId],
      provisioningArtifactId: [pp.artifactId],
      type: [pp.type],
      status: [pp.status],
      tags: pp.tags.flatMap((t) => [t.Key, t.Value, `${t.Key}=${t.Value}`]),
      userArn: [pp.userArn],
      userArnSession: [pp.userArnSession],
      lastProvisioningRecordId: [pp.lastProvisioningRecordId ?? ""],
      lastSuccessfulProvisioningRecordId: [pp.lastSuccessfulProvisioningRecordId ?? ""],
      productName: [attribute.ProductName ?? ""],
      provisioningArtifactName: [attribute.ProvisioningArtifactName ?? ""],
    };
    const colon = query.indexOf(":");
    const key = colon > 0 ? query.slice(0, colon) : "";
    if (SEARCH_KEYS.includes(key)) {
      const value = query.slice(colon + 1).toLowerCase();
      return fields[key]!.some((f) => f.toLowerCase() === value);
    }
    const text = query.toLowerCase();
    return Object.values(fields).some((values) => values.some((f) => f.toLowerCase().includes(text)));
  }

  searchProvisionedProducts(caller: Principal, input: { AccessLevelFilter?: AccessLevel; Filters?: Record<string, string[]>; SortBy?: string; SortOrder?: string; PageSize?: number; PageToken?: string }) {
    // "The default is Account": an end user must ask for User explicitly.
    const level = this.accessLevel(caller, input.AccessLevelFilter, "SearchProvisionedProducts", "Account");
    let products = Object.values(this.data.provisionedProducts).filter((pp) => this.visibleAt(caller, level, pp.userArn));
    for (const [key, queries] of Object.entries(input.Filters ?? {})) {
      if (key !== "SearchQuery") {
        throw new InvalidParametersException(`1 validation error detected: Value '${key}' at 'filters' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [SearchQuery]]`);
      }
      for (const query of queries) products = products.filter((pp) => this.matchesQuery(pp, query));
    }
    if (input.SortOrder !== undefined && input.SortOrder !== "ASCENDING" && input.SortOrder !== "DESCENDING") {
      throw new InvalidParametersException(`1 validation error detected: Value '${input.SortOrder}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ASCENDING, DESCENDING]`);
    }
    // "If no value is specified, the results are not sorted. The valid values are arn, id, name, and lastRecordId."
    if (input.SortBy !== undefined) {
      const sortKeys: Record<string, (pp: ProvisionedProduct) => string> = {
        arn: (pp) => pp.arn,
        id: (pp) => pp.id,
        name: (pp) => pp.name.toLowerCase(),
        lastRecordId: (pp) => pp.lastRecordId ?? "",
      };
      const sortKey = sortKeys[input.SortBy];
      if (!sortKey) throw new InvalidParametersException(`Invalid sort field: ${input.SortBy}. Valid fields: arn, id, name, lastRecordId.`);
      products.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      if (input.SortOrder === "DESCENDING") products.reverse();
    }
    const { items, next } = page(products, input.PageSize, input.PageToken, 100);
    return { ProvisionedProducts: items.map((pp) => this.attribute(pp)), TotalResultsCount: products.length, NextPageToken: next };
  }

  scanProvisionedProducts(caller: Principal, input: { AccessLevelFilter?: AccessLevel; PageSize?: number; PageToken?: string }) {
    const level = this.accessLevel(caller, input.AccessLevelFilter, "ScanProvisionedProducts");
    const products = Object.values(this.data.provisionedProducts)
      .filter((pp) => this.visibleAt(caller, level, pp.userArn))
      .sort((a, b) => a.createdTime - b.createdTime);
    const { items, next } = page(products, input.PageSize, input.PageToken, 20);
    return { ProvisionedProducts: items.map((pp) => this.detail(pp)), NextPageToken: next };
  }

  describeProvisionedProduct(caller: Principal, input: { Id?: string; Name?: string }) {
    if (input.Id && input.Name) throw new InvalidParametersException("Specify either Id or Name, not both.");
    const pp = this.provisionedProductFor(caller, { id: input.Id, name: input.Name });
    return { ProvisionedProductDetail: this.detail(pp), CloudWatchDashboards: [] };
  }

  getProvisionedProductOutputs(caller: Principal, input: { ProvisionedProductId?: string; ProvisionedProductName?: string; OutputKeys?: string[]; PageSize?: number; PageToken?: string }) {
    const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId, name: input.ProvisionedProductName });
    const stack = this.data.stacks[pp.stackId];
    let outputs = stack ? this.outputsOf(pp, stack) : [];
    if (input.OutputKeys?.length) outputs = outputs.filter((o) => input.OutputKeys!.includes(o.OutputKey));
    const { items, next } = page(outputs, input.PageSize, input.PageToken, 20);
    return { Outputs: items, NextPageToken: next };
  }

  updateProvisionedProduct(
    caller: Principal,
    input: {
      ProvisionedProductName?: string;
      ProvisionedProductId?: string;
      ProductId?: string;
      ProductName?: string;
      ProvisioningArtifactId?: string;
      ProvisioningArtifactName?: string;
      PathId?: string;
      PathName?: string;
      ProvisioningParameters?: ParameterInput[];
      Tags?: Tag[];
      UpdateToken?: string;
    },
  ) {
    const token = this.validateToken(input.UpdateToken, "updateToken");
    const previous = this.idempotent("UpdateProvisionedProduct", token);
    if (previous) return this.replay(caller, previous);
    if (input.ProvisionedProductId && input.ProvisionedProductName) throw new InvalidParametersException("Specify either ProvisionedProductId or ProvisionedProductName, not both.");
    const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId, name: input.ProvisionedProductName });
    this.assertChangeable(pp, InvalidParametersException);
    this.assertUpdatable(pp, InvalidParametersException);
    const { product, artifact, path, tags, parameters } = this.updateTarget(caller, pp, input);
    const work = this.recordWork(caller, product, "UPDATE", { parameters, artifactId: artifact.id, pathId: path.launchPathId, tags });
    const record = this.newRecord("UPDATE_PROVISIONED_PRODUCT", pp, caller, work, this.options.timings.updateMs);
    this.remember("UpdateProvisionedProduct", token, record.id);
    return { RecordDetail: this.recordDetail(record) };
  }

  /** A failed launch, or a plan not executed yet, has no stack to update. */
  private assertUpdatable(pp: ProvisionedProduct, refuse: new (message: string) => Error): void {
    if (pp.status === "ERROR" || pp.status === "PLAN_IN_PROGRESS" || !this.data.stacks[pp.stackId]) {
      throw new refuse(`The provisioned product ${pp.name} (${pp.id}) is in ${pp.status} state and cannot be updated. Terminate it and provision a new one.`);
    }
  }

  /** What an update (or an update plan) would deploy: version, launch path, tags and parameters. */
  private updateTarget(
    caller: Principal,
    pp: ProvisionedProduct,
    input: { ProductId?: string; ProductName?: string; ProvisioningArtifactId?: string; ProvisioningArtifactName?: string; PathId?: string; PathName?: string; ProvisioningParameters?: ParameterInput[]; Tags?: Tag[] },
  ) {
    const product = this.productFor(caller, { id: input.ProductId ?? (input.ProductName ? undefined : pp.productId), name: input.ProductName });
    if (product.id !== pp.productId) throw new InvalidParametersException(`The provisioned product ${pp.id} was launched from product ${pp.productId}, not ${product.id}.`);
    const artifact =
      input.ProvisioningArtifactId || input.ProvisioningArtifactName
        ? this.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName })
        : this.artifactFor(product, { id: pp.artifactId });
    if (!artifact.active) throw new InvalidParametersException(`Provisioning artifact ${artifact.id} is not active.`);
    const path = input.PathId || input.PathName ? this.pathFor(caller, product, { id: input.PathId, name: input.PathName }) : this.pathFor(caller, product, { id: pp.pathId });
    // Without a RESOURCE_UPDATE constraint allowing it, AWS ignores tag changes on update (the
    // request's Tags must still be well-formed).
    const tagsAllowed = tagUpdatePolicy(path, product.id) === "ALLOWED";
    if (!tagsAllowed) this.checkTagShapes(input.Tags);
    const tags = tagsAllowed ? this.validateTags(input.Tags ?? pp.tags, this.tagOptionsFor(product, path)) : pp.tags;
    const parameters = this.resolveParameters(artifact.template, input.ProvisioningParameters, pp.parameters);
    return { product, artifact, path, tags, parameters };
  }

  terminateProvisionedProduct(caller: Principal, input: { ProvisionedProductName?: string; ProvisionedProductId?: string; TerminateToken?: string; IgnoreErrors?: boolean; RetainPhysicalResources?: boolean }) {
    const token = this.validateToken(input.TerminateToken, "terminateToken");
    const previous = this.idempotent("TerminateProvisionedProduct", token);
    if (previous) {
      // "This token is only valid during the termination process. After the provisioned product is
      // terminated, subsequent requests to terminate the same provisioned product always return
      // ResourceNotFound." A termination that failed is over too: the request is a new one.
      const record = this.data.records[previous]!;
      if (record.status === "CREATED" || record.status === "IN_PROGRESS") return this.replay(caller, previous);
      if (!this.data.provisionedProducts[record.provisionedProductId]) throw new ResourceNotFoundException(`Provisioned product not found: ${record.provisionedProductId}`);
    }
    if (input.ProvisionedProductId && input.ProvisionedProductName) throw new InvalidParametersException("Specify either ProvisionedProductId or ProvisionedProductName, not both.");
    const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId, name: input.ProvisionedProductName });
    this.assertChangeable(pp, InvalidParametersException);
    const product = this.productById(pp.productId)!;
    const work = this.recordWork(caller, product, "TERMINATE", {
      parameters: pp.parameters,
      artifactId: pp.artifactId,
      pathId: pp.pathId,
      tags: pp.tags,
      retainPhysicalResources: input.RetainPhysicalResources === true,
      ignoreErrors: input.IgnoreErrors === true,
    });
    // A product whose plan was never executed has nothing to delete.
    const record = this.newRecord("TERMINATE_PROVISIONED_PRODUCT", pp, caller, work, this.data.stacks[pp.stackId] ? this.options.timings.terminateMs : 0);
    this.remember("TerminateProvisionedProduct", token, record.id);
    return { RecordDetail: this.recordDetail(record) };
  }

  /**
   * Admin only (permissions.ts). The record goes CREATED, IN_PROGRESS, SUCCEEDED like any other and
   * the product is UNDER_CHANGE meanwhile; the new owner or launch role applies when it completes.
   */
  updateProvisionedProductProperties(caller: Principal, input: { ProvisionedProductId?: string; ProvisionedProductProperties?: Record<string, string>; IdempotencyToken?: string }) {
    const token = this.validateToken(input.IdempotencyToken, "idempotencyToken");
    const previous = this.idempotent("UpdateProvisionedProductProperties", token);
    if (previous) {
      const record = this.data.records[previous]!;
      return { ProvisionedProductId: record.provisionedProductId, ProvisionedProductProperties: record.work.properties, RecordId: record.id, Status: record.status };
    }
    const checks = new ConstraintCollector();
    if (input.ProvisionedProductId === undefined) checks.add("null", "provisionedProductId", "not be null");
    if (input.ProvisionedProductProperties === undefined) checks.add("null", "provisionedProductProperties", "not be null");
    else if (Object.keys(input.ProvisionedProductProperties).length === 0) checks.add("{}", "provisionedProductProperties", "have length greater than or equal to 1");
    if (checks.message) throw new InvalidParametersException(checks.message);
    const properties = input.ProvisionedProductProperties!;
    for (const key of Object.keys(properties)) {
      if (key !== "OWNER" && key !== "LAUNCH_ROLE") {
        throw new InvalidParametersException(`1 validation error detected: Value '${key}' at 'provisionedProductProperties' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [OWNER, LAUNCH_ROLE]]`);
      }
    }
    const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId });
    this.assertChangeable(pp, InvalidStateException);
    if (pp.status === "PLAN_IN_PROGRESS") throw new InvalidStateException(`The provisioned product ${pp.name} (${pp.id}) is PLAN_IN_PROGRESS; its properties cannot be changed now.`);
    const owner = properties.OWNER;
    if (owner !== undefined) {
      const match = PRINCIPAL_ARN.exec(owner);
      if (!match) throw new InvalidParametersException(`OWNER must be the ARN of an IAM user, role or assumed-role session, not '${owner}'.`);
      if ((match[1] ?? match[2]) !== this.data.account) throw new InvalidParametersException(`OWNER must be a principal in account ${this.data.account}; cross-account owners are not supported.`);
    }
    const launchRole = properties.LAUNCH_ROLE;
    if (launchRole !== undefined && !/^arn:aws:iam::\d{12}:role\/.+$/.test(launchRole)) {
      throw new InvalidParametersException(`LAUNCH_ROLE must be an IAM role ARN, not '${launchRole}'.`);
    }
    const work: RecordWork = {
      parameters: pp.parameters,
      artifactId: pp.artifactId,
      pathId: pp.pathId,
      tags: pp.tags,
      principal: principalOf(caller),
      properties: { ...(owner !== undefined ? { OWNER: owner } : {}), ...(launchRole !== undefined ? { LAUNCH_ROLE: launchRole } : {}) },
      statusBefore: pp.status,
      ...(pp.statusMessage !== undefined ? { statusMessageBefore: pp.statusMessage } : {}),
    };
    // Made under the current owner: the previous owner keeps it in their history.
    const record = this.newRecord("UPDATE_PROVISIONED_PRODUCT_PROPERTIES", pp, caller, work, Math.min(this.options.timings.updateMs, PROPERTIES_UPDATE_MS));
    this.remember("UpdateProvisionedProductProperties", token, record.id);
    return { ProvisionedProductId: pp.id, ProvisionedProductProperties: work.properties, RecordId: record.id, Status: record.status };
  }

  // ---------------------------------------------------------------- plans

  createProvisionedProductPlan(
    caller: Principal,
    input: {
      PlanName?: string;
      PlanType?: string;
      NotificationArns?: string[];
      PathId?: string;
      ProductId?: string;
      ProvisionedProductName?: string;
      ProvisioningArtifactId?: string;
      ProvisioningParameters?: ParameterInput[];
      IdempotencyToken?: string;
      Tags?: Tag[];
    },
  ) {
    const token = this.validateToken(input.IdempotencyToken, "idempotencyToken");
    const checks = new ConstraintCollector();
    if (input.PlanName === undefined) checks.add("null", "planName", "not be null");
    if (input.PlanType === undefined) checks.add("null", "planType", "not be null");
    else if (input.PlanType !== "CLOUDFORMATION") checks.add(input.PlanType, "planType", "satisfy enum value set: [CLOUDFORMATION]");
    if (input.ProductId === undefined) checks.add("null", "productId", "not be null");
    if (input.ProvisioningArtifactId === undefined) checks.add("null", "provisioningArtifactId", "not be null");
    if (checks.message) throw new InvalidParametersException(checks.message);
    const name = this.validateName(input.ProvisionedProductName);
    const previous = this.idempotent("CreateProvisionedProductPlan", token);
    if (previous && this.data.plans[previous]) return this.planSummary(this.data.plans[previous]!);

    const product = this.productFor(caller, { id: input.ProductId });
    const existing = Object.values(this.data.provisionedProducts).find((p) => p.name === name);
    let pp: ProvisionedProduct;
    let createsProduct = false;
    let artifact: CatalogArtifact;
    let path: CatalogPortfolio;
    let tags: Tag[];
    let parameters: Record<string, string>;
    if (existing) {
      if (!this.canActOn(caller, existing.userArn)) throw new DuplicateResourceException(`A provisioned product with the name '${name}' already exists in this account.`);
      // "To create a plan for an existing provisioned product, the product status must be AVAILABLE or TAINTED."
      this.assertChangeable(existing, InvalidStateException);
      this.assertUpdatable(existing, InvalidStateException);
      ({ artifact, path, tags, parameters } = this.updateTarget(caller, existing, { ...input, ProvisioningParameters: input.ProvisioningParameters }));
      pp = existing;
    } else {
      artifact = this.artifactFor(product, { id: input.ProvisioningArtifactId });
      if (artifact.deprecated) throw new InvalidParametersException(`Provisioning artifact ${artifact.id} (${artifact.name}) is deprecated: new provisioned products cannot be launched with it.`);
      path = this.pathFor(caller, product, { id: input.PathId });
      tags = this.validateTags(input.Tags, this.tagOptionsFor(product, path));
      if ((input.ProvisioningParameters ?? []).some((p) => p.UsePreviousValue)) {
        throw new InvalidParametersException("UsePreviousValue cannot be used when the plan launches a new provisioned product.");
      }
      parameters = this.resolveParameters(artifact.template, input.ProvisioningParameters);
      pp = this.newProvisionedProduct(caller, { name, token, product, artifact, path, tags, parameters, status: "PLAN_IN_PROGRESS" });
      createsProduct = true;
    }
    let resourceChanges: ResourceChange[];
    try {
      resourceChanges = planStackChanges(this.data.stacks[pp.stackId], artifact.template, parameters, this.stackEnvironment(pp, this.now()));
    } catch (error) {
      if (createsProduct) delete this.data.provisionedProducts[pp.id];
      if (error instanceof TemplateError) throw new InvalidParametersException(error.message);
      throw error;
    }
    const now = this.now();
    const plan: Plan = {
      id: randomId("pp-"),
      name: input.PlanName!,
      type: "CLOUDFORMATION",
      provisionedProductId: pp.id,
      provisionedProductName: pp.name,
      createsProduct,
      productId: product.id,
      artifactId: artifact.id,
      pathId: path.launchPathId,
      parameters: input.ProvisioningParameters ?? [],
      resolvedParameters: parameters,
      tags,
      notificationArns: input.NotificationArns ?? [],
      status: "CREATE_IN_PROGRESS",
      createdTime: now,
      updatedTime: now,
      readyAt: now + Math.min(1500, Math.floor(this.options.timings.updateMs / 2)),
      ownerArn: pp.userArn,
      principal: principalOf(caller),
      resourceChanges,
    };
    this.data.plans[plan.id] = plan;
    this.remember("CreateProvisionedProductPlan", token, plan.id);
    return this.planSummary(plan);
  }

  private planSummary(plan: Plan) {
    return { PlanName: plan.name, PlanId: plan.id, ProvisionProductId: plan.provisionedProductId, ProvisionedProductName: plan.provisionedProductName, ProvisioningArtifactId: plan.artifactId };
  }

  private planFor(caller: Principal, planId: string | undefined): Plan {
    const plan = planId ? this.data.plans[planId] : undefined;
    if (!plan || !this.canActOn(caller, plan.ownerArn)) throw new ResourceNotFoundException(`Plan not found: ${planId}`);
    return plan;
  }

  describeProvisionedProductPlan(caller: Principal, input: { PlanId?: string; PageSize?: number; PageToken?: string }) {
    const plan = this.planFor(caller, input.PlanId);
    const ready = plan.status !== "CREATE_IN_PROGRESS";
    const { items, next } = page(ready ? plan.resourceChanges : [], input.PageSize, input.PageToken, 20);
    return {
      ProvisionedProductPlanDetails: {
        CreatedTime: date(plan.createdTime),
        PathId: plan.pathId,
        ProductId: plan.productId,
        PlanName: plan.name,
        PlanId: plan.id,
        ProvisionProductId: plan.provisionedProductId,
        ProvisionProductName: plan.provisionedProductName,
        PlanType: plan.type,
        ProvisioningArtifactId: plan.artifactId,
        Status: plan.status,
        UpdatedTime: date(plan.updatedTime),
        NotificationArns: plan.notificationArns,
        ProvisioningParameters: plan.parameters,
        Tags: plan.tags,
        StatusMessage: plan.statusMessage,
      },
      ResourceChanges: items,
      NextPageToken: next,
    };
  }

  executeProvisionedProductPlan(caller: Principal, input: { PlanId?: string; IdempotencyToken?: string }) {
    const token = this.validateToken(input.IdempotencyToken, "idempotencyToken");
    const previous = this.idempotent("ExecuteProvisionedProductPlan", token);
    if (previous) return this.replay(caller, previous);
    const plan = this.planFor(caller, input.PlanId);
    if (plan.status !== "CREATE_SUCCESS") throw new InvalidStateException(`The plan ${plan.id} is in ${plan.status} state; only a plan in CREATE_SUCCESS state can be executed.`);
    const pp = this.data.provisionedProducts[plan.provisionedProductId];
    if (!pp) throw new ResourceNotFoundException(`Provisioned product not found: ${plan.provisionedProductId}`);
    this.assertChangeable(pp, InvalidStateException);
    const product = this.productById(plan.productId)!;
    const work = this.recordWork(caller, product, plan.createsProduct ? "PROVISION" : "UPDATE", {
      parameters: plan.resolvedParameters,
      artifactId: plan.artifactId,
      pathId: plan.pathId,
      tags: plan.tags,
      planId: plan.id,
    });
    const type: RecordType = plan.createsProduct ? "PROVISION_PRODUCT" : "UPDATE_PROVISIONED_PRODUCT";
    const record = this.newRecord(type, pp, caller, work, plan.createsProduct ? this.options.timings.provisionMs : this.options.timings.updateMs);
    plan.status = "EXECUTE_IN_PROGRESS";
    plan.updatedTime = this.now();
    plan.executeRecordId = record.id;
    this.remember("ExecuteProvisionedProductPlan", token, record.id);
    return { RecordDetail: this.recordDetail(record) };
  }

  deleteProvisionedProductPlan(caller: Principal, input: { PlanId?: string; IgnoreErrors?: boolean }) {
    const plan = this.planFor(caller, input.PlanId);
    delete this.data.plans[plan.id];
    const pp = this.data.provisionedProducts[plan.provisionedProductId];
    if (plan.createsProduct && pp?.status === "PLAN_IN_PROGRESS") delete this.data.provisionedProducts[pp.id];
    return {};
  }

  // ---------------------------------------------------------------- control

  /** Everything, for GET /_emulator/state. */
  snapshot() {
    const region = this.data.region;
    return {
      provisionedProducts: Object.values(this.data.provisionedProducts).map((pp) => ({
        region,
        ...this.attribute(pp),
        parameters: pp.parameters,
        launchRoleArn: pp.launchRoleArn,
        provisioningPrincipal: pp.provisioningPrincipal,
        stackName: pp.stackName,
        outputs: this.data.stacks[pp.stackId] ? this.outputsOf(pp, this.data.stacks[pp.stackId]!) : [],
      })),
      records: Object.values(this.data.records).map((r) => ({ region, ...this.recordDetail(r), RecordOutputs: r.outputs, callerArn: r.callerArn, ownerArn: r.ownerArn })),
      plans: Object.values(this.data.plans).map((p) => ({ region, ...this.describePlanRaw(p) })),
      stacks: Object.values(this.data.stacks).map((s) => ({ region, ...s })),
      resources: {
        buckets: Object.values(this.data.resources.buckets),
        instances: Object.values(this.data.resources.instances),
        other: Object.values(this.data.resources.other),
      },
    };
  }

  private describePlanRaw(plan: Plan) {
    const { principal: _principal, ...rest } = plan;
    return rest;
  }
}
