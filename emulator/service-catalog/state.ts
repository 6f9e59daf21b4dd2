import type { Principal } from "../core/identity";
import type { ParameterInput } from "../cloudformation/parameters";
import { emptyWorld, type Tag, type World } from "../cloudformation/resources";
import type { ResourceChange, Stack } from "../cloudformation/stack";
import type { Template } from "../cloudformation/template";
import type { Catalog } from "./catalog";
import { CatalogViews } from "./catalog-views";
import { Plans } from "./plans";
import { ProvisionedProducts } from "./provisioned-products";
import { Records } from "./records";
import { ProvisionedProductSearch } from "./search";
import { attribute, outputsOf, recordDetail } from "./shapes";

/**
 * The rules of Service Catalog, without HTTP (moto's models.py): one backend per account and
 * region, its `data` plain JSON so it can be persisted as is, its operations split by resource:
 * catalog views (catalog-views.ts), provisioned products (provisioned-products.ts) and their
 * asynchronous records (records.ts), plans (plans.ts), search and scan (search.ts). Shared request
 * checks are in checks.ts, access levels in access.ts, wire shapes in shapes.ts.
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

export type RecordWork = {
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
  /** How far behind SearchProvisionedProducts' index may be, in ms (the faults endpoint's searchLagMs; 0: up to date). */
  searchLagMs: () => number;
};

/** Who made a request, as a record or plan keeps it (the session's tags and source identity). */
export function principalOf(caller: Principal): ProvisioningPrincipal {
  return caller.kind === "assumed-role"
    ? { arn: caller.arn, ...(caller.sourceIdentity ? { sourceIdentity: caller.sourceIdentity } : {}), sessionTags: caller.sessionTags }
    : { arn: caller.arn, sessionTags: [] };
}

export class ServiceCatalogBackend {
  readonly catalog: CatalogViews = new CatalogViews(this);
  readonly records: Records = new Records(this);
  readonly products: ProvisionedProducts = new ProvisionedProducts(this);
  readonly search: ProvisionedProductSearch = new ProvisionedProductSearch(this);
  readonly plans: Plans = new Plans(this);

  constructor(
    readonly data: ScData,
    readonly options: ScOptions,
  ) {}

  /** Applies every transition that is due: records progress and complete, plans become ready. */
  tick(): boolean {
    return this.records.tick();
  }

  /** When the next transition is due (for the server's timer), if any. */
  nextDueAt(): number | undefined {
    return this.records.nextDueAt();
  }

  /** The template behind an artifact (served to TemplateUrl), regardless of caller. */
  templateOf(productId: string, artifactId: string): Template | undefined {
    return this.catalog.templateOf(productId, artifactId);
  }

  /** Everything, for GET /_emulator/state. */
  snapshot() {
    const region = this.data.region;
    return {
      provisionedProducts: Object.values(this.data.provisionedProducts).map((pp) => ({
        region,
        ...attribute(this.catalog, pp),
        parameters: pp.parameters,
        launchRoleArn: pp.launchRoleArn,
        provisioningPrincipal: pp.provisioningPrincipal,
        stackName: pp.stackName,
        outputs: this.data.stacks[pp.stackId] ? outputsOf(pp, this.data.stacks[pp.stackId]!) : [],
      })),
      records: Object.values(this.data.records).map((r) => ({ region, ...recordDetail(r), RecordOutputs: r.outputs, callerArn: r.callerArn, ownerArn: r.ownerArn })),
      plans: Object.values(this.data.plans).map((p) => ({ region, ...this.plans.describePlanRaw(p) })),
      stacks: Object.values(this.data.stacks).map((s) => ({ region, ...s })),
      resources: {
        buckets: Object.values(this.data.resources.buckets),
        instances: Object.values(this.data.resources.instances),
        other: Object.values(this.data.resources.other),
      },
    };
  }
}
