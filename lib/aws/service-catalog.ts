import "server-only";
import {
  ServiceCatalogClient,
  SearchProductsCommand,
  DescribeProductCommand,
  ListLaunchPathsCommand,
  DescribeProvisioningParametersCommand,
  DescribeProvisioningArtifactCommand,
  ProvisionProductCommand,
  DescribeRecordCommand,
  UpdateProvisionedProductCommand,
  TerminateProvisionedProductCommand,
  CreateProvisionedProductPlanCommand,
  DescribeProvisionedProductPlanCommand,
  DeleteProvisionedProductPlanCommand,
  SearchProvisionedProductsCommand,
  DescribeProvisionedProductCommand,
  UpdateProvisionedProductPropertiesCommand,
  type ProvisioningArtifactParameter,
  type RecordDetail,
  type ResourceChange,
  type UpdateProvisioningParameter,
} from "@aws-sdk/client-service-catalog";
import { awsClientConfig } from "@/lib/aws/config";
import { forgetSession, sessionFor, type SessionIdentity, type SessionKind, type UserSession } from "@/lib/aws/sessions";
import { fromAwsError, fromSessionError, isExpiredTokenError } from "@/lib/aws/errors";
import { ConflictError } from "@/lib/errors";
import type { PlanResourceChange, PlanResourceChangeDetail } from "@/lib/domain/plan";
import type { CatalogProduct, ProductDetail, TagOption } from "@/lib/domain/catalog";
import type { ParameterSetting, ProvisioningParameter } from "@/lib/domain/parameters";
import type { Tag } from "@/lib/domain/tags";

/** The client services receive inside `asUser`; they pass it to the `sc` calls below. */
export type ScClient = ServiceCatalogClient;

/**
 * Who retries a call AWS throttles or fails: `sdk`, the SDK's adaptive mode (backoff, and a
 * per-client rate limiter that, once throttled, makes later calls wait for a token); `caller`, one
 * attempt and no waiting: for background work that looks again on its own schedule anyway, where
 * a call sleeping in the SDK holds one of a few workers (in the bench's 200 launches with 10% of
 * calls throttled, all ten tracking workers sat for seconds in the rate limiter while looks piled up).
 */
export type AwsRetries = "sdk" | "caller";

const clients = { sdk: new WeakMap<UserSession, ServiceCatalogClient>(), caller: new WeakMap<UserSession, ServiceCatalogClient>() };

function clientFor(session: UserSession, retries: AwsRetries): ServiceCatalogClient {
  let client = clients[retries].get(session);
  if (!client) {
    const config = awsClientConfig("servicecatalog");
    client = new ServiceCatalogClient({ ...config, ...(retries === "caller" ? { retryMode: "standard", maxAttempts: 1 } : {}), credentials: session.credentials });
    clients[retries].set(session, client);
  }
  return client;
}

/**
 * Runs Service Catalog calls as the given person (never with the portal's own credentials).
 * An expired session is replaced once; AWS errors become errors people can act on.
 */
export async function asUser<T>(
  identity: SessionIdentity,
  context: string,
  call: (sc: ServiceCatalogClient, session: UserSession) => Promise<T>,
  kind: SessionKind = "enduser",
  retries: AwsRetries = "sdk",
): Promise<T> {
  // Getting the session comes before any Service Catalog call: when it fails, nothing was changed.
  const session = () =>
    sessionFor(identity, kind).catch((error: unknown) => {
      throw fromSessionError(error, context);
    });
  try {
    const current = await session();
    try {
      return await call(clientFor(current, retries), current);
    } catch (error) {
      if (!isExpiredTokenError(error)) throw error;
      forgetSession(identity, kind);
      const fresh = await session();
      return await call(clientFor(fresh, retries), fresh);
    }
  } catch (error) {
    throw fromAwsError(error, context);
  }
}

/*
 * What Service Catalog answers, in the portal's own types. Nothing above lib/aws sees an SDK shape:
 * the services get products, versions, parameters, record states and plan changes.
 */

/** A product as DescribeProduct and ListLaunchPaths describe it (the default version is the services' rule). */
export type ProductDescription = Omit<ProductDetail, "defaultVersionId">;

/** DescribeProvisioningParameters (and the version's template URL from DescribeProvisioningArtifact). */
export type VersionParameters = {
  parameters: ProvisioningParameter[];
  /** Every usage instruction, technical ones (rules, version, launchRole, …) included. */
  usageInstructions: { type: string; value: string }[];
  tagOptions: TagOption[];
  outputKeys: { key: string; description: string }[];
  templateUrl: string | null;
};

/** AWS's answer to a request it accepted: ProvisionProduct, UpdateProvisionedProduct, TerminateProvisionedProduct, UpdateProvisionedProductProperties. */
export type RecordAnswer = { recordId: string | null; provisionedProductId: string | null; status: string | null };

/** DescribeRecord: where a request stands. */
export type RecordState = RecordAnswer & {
  errors: { code: string; description: string }[];
  outputs: { key: string; value: string; description: string }[];
  updatedAt: Date | null;
};

/** A provisioned product as AWS lists or describes it (what reconciliation compares). */
export type AccountProduct = { id: string; name: string; status: string; lastRecordId?: string; token?: string };

function accountProductOf(p: { Id?: string; Name?: string; Status?: string; LastRecordId?: string; IdempotencyToken?: string }): AccountProduct {
  return { id: p.Id!, name: p.Name ?? "", status: p.Status ?? "", ...(p.LastRecordId ? { lastRecordId: p.LastRecordId } : {}), ...(p.IdempotencyToken ? { token: p.IdempotencyToken } : {}) };
}

function answerOf(detail: Pick<RecordDetail, "RecordId" | "ProvisionedProductId" | "Status"> | undefined): RecordAnswer {
  return { recordId: detail?.RecordId ?? null, provisionedProductId: detail?.ProvisionedProductId ?? null, status: detail?.Status ?? null };
}

function numeric(name: string, value: string | undefined): Record<string, number> {
  if (value === undefined || value === "") return {};
  const n = Number(value);
  return Number.isFinite(n) ? { [name]: n } : {};
}

function parameterOf(p: ProvisioningArtifactParameter): ProvisioningParameter {
  return {
    key: p.ParameterKey ?? "",
    type: p.ParameterType ?? "String",
    ...(p.DefaultValue !== undefined ? { defaultValue: p.DefaultValue } : {}),
    noEcho: p.IsNoEcho ?? false,
    ...(p.Description ? { description: p.Description } : {}),
    constraints: {
      ...(p.ParameterConstraints?.AllowedValues?.length ? { allowedValues: p.ParameterConstraints.AllowedValues } : {}),
      ...(p.ParameterConstraints?.AllowedPattern ? { allowedPattern: p.ParameterConstraints.AllowedPattern } : {}),
      ...(p.ParameterConstraints?.ConstraintDescription ? { constraintDescription: p.ParameterConstraints.ConstraintDescription } : {}),
      ...numeric("minLength", p.ParameterConstraints?.MinLength),
      ...numeric("maxLength", p.ParameterConstraints?.MaxLength),
      ...numeric("minValue", p.ParameterConstraints?.MinValue),
      ...numeric("maxValue", p.ParameterConstraints?.MaxValue),
    },
  };
}

/** One of DescribeProvisionedProductPlan's ResourceChanges, as the plan review shows it. */
export function resourceChangeFromAws(change: ResourceChange): PlanResourceChange {
  const out: PlanResourceChange = {
    action: change.Action ?? "MODIFY",
    logicalResourceId: change.LogicalResourceId ?? "",
    resourceType: change.ResourceType ?? "",
  };
  if (change.PhysicalResourceId) out.physicalResourceId = change.PhysicalResourceId;
  if (change.Replacement) out.replacement = change.Replacement;
  if (change.Details?.length) {
    out.details = change.Details.map((d) => {
      const detail: PlanResourceChangeDetail = {};
      if (d.Target) {
        detail.target = {};
        if (d.Target.Attribute) detail.target.attribute = d.Target.Attribute;
        if (d.Target.Name) detail.target.name = d.Target.Name;
        if (d.Target.RequiresRecreation) detail.target.requiresRecreation = d.Target.RequiresRecreation;
      }
      if (d.Evaluation) detail.evaluation = d.Evaluation;
      if (d.CausingEntity) detail.causingEntity = d.CausingEntity;
      return detail;
    });
  }
  return out;
}

const awsTags = (tags: Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }));
const awsSettings = (settings: ParameterSetting[]): UpdateProvisioningParameter[] =>
  settings.map((p) => ("usePrevious" in p ? { Key: p.key, UsePreviousValue: true } : { Key: p.key, Value: p.value }));

export const sc = {
  /** Every product the session may launch (SearchProducts, all pages), sorted by name. */
  async searchProducts(client: ServiceCatalogClient): Promise<CatalogProduct[]> {
    const products: CatalogProduct[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new SearchProductsCommand({ PageSize: 100, ...(token ? { PageToken: token } : {}) }));
      for (const view of page.ProductViewSummaries ?? []) {
        if (!view.ProductId) continue;
        products.push({ productId: view.ProductId, name: view.Name ?? view.ProductId, owner: view.Owner ?? "", distributor: view.Distributor ?? "", shortDescription: view.ShortDescription ?? "" });
      }
      token = page.NextPageToken || undefined;
    } while (token);
    return products.sort((a, b) => a.name.localeCompare(b.name));
  },
  /** DescribeProduct and ListLaunchPaths together; null when AWS describes no product. */
  async describeProduct(client: ServiceCatalogClient, productId: string): Promise<ProductDescription | null> {
    const [described, paths] = await Promise.all([client.send(new DescribeProductCommand({ Id: productId })), client.send(new ListLaunchPathsCommand({ ProductId: productId }))]);
    const view = described.ProductViewSummary;
    if (!view?.ProductId) return null;
    return {
      productId: view.ProductId,
      name: view.Name ?? view.ProductId,
      owner: view.Owner ?? "",
      distributor: view.Distributor ?? "",
      shortDescription: view.ShortDescription ?? "",
      supportDescription: view.SupportDescription ?? null,
      supportEmail: view.SupportEmail ?? null,
      supportUrl: view.SupportUrl ?? null,
      versions: (described.ProvisioningArtifacts ?? []).map((a) => ({
        id: a.Id ?? "",
        name: a.Name ?? a.Id ?? "",
        description: a.Description ?? "",
        deprecated: a.Guidance === "DEPRECATED",
        createdAt: a.CreatedTime ? new Date(a.CreatedTime).toISOString() : null,
      })),
      launchPaths: (paths.LaunchPathSummaries ?? []).map((p) => ({ id: p.Id ?? "", name: p.Name ?? p.Id ?? "" })),
    };
  },
  /** A version's parameters, usage instructions, TagOptions and outputs, and its template's URL (when AWS gives it). */
  async provisioningParameters(client: ServiceCatalogClient, input: { productId: string; artifactId: string; pathId?: string }): Promise<VersionParameters> {
    const [described, artifact] = await Promise.all([
      client.send(new DescribeProvisioningParametersCommand({ ProductId: input.productId, ProvisioningArtifactId: input.artifactId, ...(input.pathId ? { PathId: input.pathId } : {}) })),
      client.send(new DescribeProvisioningArtifactCommand({ ProductId: input.productId, ProvisioningArtifactId: input.artifactId, Verbose: true })).catch(() => undefined),
    ]);
    return {
      parameters: (described.ProvisioningArtifactParameters ?? []).map(parameterOf),
      usageInstructions: (described.UsageInstructions ?? []).map((u) => ({ type: u.Type ?? "", value: u.Value ?? "" })),
      tagOptions: (described.TagOptions ?? []).map((t) => ({ key: t.Key ?? "", values: t.Values ?? [] })),
      outputKeys: (described.ProvisioningArtifactOutputKeys ?? described.ProvisioningArtifactOutputs ?? []).map((o) => ({ key: o.Key ?? "", description: o.Description ?? "" })),
      templateUrl: artifact?.Info?.TemplateUrl ?? null,
    };
  },
  async provisionProduct(
    client: ServiceCatalogClient,
    input: { productId: string; artifactId: string; pathId?: string; name: string; token: string; parameters: { key: string; value: string }[]; tags: Tag[] },
  ): Promise<RecordAnswer> {
    const out = await client.send(
      new ProvisionProductCommand({
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
        ProvisionedProductName: input.name,
        ProvisionToken: input.token,
        ProvisioningParameters: input.parameters.map((p) => ({ Key: p.key, Value: p.value })),
        Tags: awsTags(input.tags),
      }),
    );
    return answerOf(out.RecordDetail);
  },
  async describeRecord(client: ServiceCatalogClient, recordId: string): Promise<RecordState> {
    const out = await client.send(new DescribeRecordCommand({ Id: recordId }));
    const detail = out.RecordDetail;
    return {
      ...answerOf(detail),
      errors: (detail?.RecordErrors ?? []).map((e) => ({ code: e.Code ?? "", description: e.Description ?? "" })),
      outputs: (out.RecordOutputs ?? []).map((o) => ({ key: o.OutputKey ?? "", value: o.OutputValue ?? "", description: o.Description ?? "" })),
      updatedAt: detail?.UpdatedTime ?? null,
    };
  },
  async updateProvisionedProduct(
    client: ServiceCatalogClient,
    input: { provisionedProductId: string; productId: string; artifactId: string; pathId?: string; token: string; parameters: ParameterSetting[]; tags?: Tag[] },
  ): Promise<RecordAnswer> {
    const out = await client.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductId: input.provisionedProductId,
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
        UpdateToken: input.token,
        ProvisioningParameters: awsSettings(input.parameters),
        ...(input.tags ? { Tags: awsTags(input.tags) } : {}),
      }),
    );
    return answerOf(out.RecordDetail);
  },
  async terminateProvisionedProduct(client: ServiceCatalogClient, input: { provisionedProductId: string; token: string; ignoreErrors?: boolean }): Promise<RecordAnswer> {
    const out = await client.send(
      new TerminateProvisionedProductCommand({
        ProvisionedProductId: input.provisionedProductId,
        TerminateToken: input.token,
        IgnoreErrors: input.ignoreErrors ?? false,
      }),
    );
    return answerOf(out.RecordDetail);
  },
  /**
   * What an update would change, resource by resource: a plan is created, read once AWS has
   * worked it out (at most ~15 s) and deleted again.
   */
  async planChanges(
    client: ServiceCatalogClient,
    input: { provisionedProductId: string; name: string; productId: string; artifactId: string; pathId?: string; parameters: ParameterSetting[]; tags?: Tag[] },
  ): Promise<PlanResourceChange[]> {
    const created = await client.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: `preview-${Date.now()}`,
        PlanType: "CLOUDFORMATION",
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
        ProvisionedProductName: input.name,
        IdempotencyToken: crypto.randomUUID(),
        ProvisioningParameters: awsSettings(input.parameters),
        ...(input.tags ? { Tags: awsTags(input.tags) } : {}),
      }),
    );
    const planId = created.PlanId!;
    try {
      for (let i = 0; i < 30; i++) {
        const described = await client.send(new DescribeProvisionedProductPlanCommand({ PlanId: planId }));
        const status = described.ProvisionedProductPlanDetails?.Status;
        if (status === "CREATE_SUCCESS" || status === "EXECUTE_SUCCESS") return (described.ResourceChanges ?? []).map(resourceChangeFromAws);
        if (status === "CREATE_FAILED") throw new ConflictError(`AWS could not plan this change: ${described.ProvisionedProductPlanDetails?.StatusMessage ?? "unknown reason"}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new ConflictError("AWS took too long to plan this change. Try again.");
    } finally {
      await client.send(new DeleteProvisionedProductPlanCommand({ PlanId: planId, IgnoreErrors: true })).catch(() => undefined);
    }
  },
  /**
   * Every provisioned product in the account: SearchProvisionedProducts at the account level, 100
   * a page (ScanProvisionedProducts pages at most 20: 1,000 calls at 20,000 products, against 200).
   * Search reads an index that AWS updates shortly after a change, so what it lists may lag:
   * callers confirm anything they would act on with `describeProvisionedProduct`.
   */
  async searchAccount(client: ServiceCatalogClient): Promise<AccountProduct[]> {
    const products: AccountProduct[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "Account", Value: "self" }, PageSize: 100, ...(token ? { PageToken: token } : {}) }));
      for (const p of page.ProvisionedProducts ?? []) {
        if (p.Id) products.push(accountProductOf(p));
      }
      token = page.NextPageToken || undefined;
    } while (token);
    return products;
  },
  /** One provisioned product as AWS holds it now (read-after-write consistent); null when AWS has no such product. */
  async describeProvisionedProduct(client: ServiceCatalogClient, id: string): Promise<AccountProduct | null> {
    try {
      const out = await client.send(new DescribeProvisionedProductCommand({ Id: id }));
      return out.ProvisionedProductDetail?.Id ? accountProductOf(out.ProvisionedProductDetail) : null;
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") return null;
      throw error;
    }
  },
  /** A transfer's new owner (UpdateProvisionedProductProperties, OWNER). */
  async changeOwner(client: ServiceCatalogClient, provisionedProductId: string, ownerArn: string, token: string): Promise<RecordAnswer> {
    const out = await client.send(
      new UpdateProvisionedProductPropertiesCommand({
        ProvisionedProductId: provisionedProductId,
        ProvisionedProductProperties: { OWNER: ownerArn },
        IdempotencyToken: token,
      }),
    );
    return { recordId: out.RecordId ?? null, provisionedProductId: out.ProvisionedProductId ?? null, status: out.Status ?? null };
  },
};
