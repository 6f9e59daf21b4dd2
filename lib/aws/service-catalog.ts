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
  ScanProvisionedProductsCommand,
  SearchProvisionedProductsCommand,
  DescribeProvisionedProductCommand,
  UpdateProvisionedProductPropertiesCommand,
  type ProvisioningParameter,
  type Tag,
  type UpdateProvisioningParameter,
} from "@aws-sdk/client-service-catalog";
import { awsClientConfig } from "@/lib/aws/config";
import { forgetSession, sessionFor, type SessionIdentity, type SessionKind, type UserSession } from "@/lib/aws/sessions";
import { fromAwsError, fromSessionError, isExpiredTokenError } from "@/lib/aws/errors";
import { ConflictError } from "@/lib/errors";
import { resourceChangeFromAws, type PlanResourceChange } from "@/lib/domain/plan";

/** The client services receive inside `asUser`; they pass it to the `sc` calls below. */
export type ScClient = ServiceCatalogClient;

const clients = new WeakMap<UserSession, ServiceCatalogClient>();

function clientFor(session: UserSession): ServiceCatalogClient {
  let client = clients.get(session);
  if (!client) {
    client = new ServiceCatalogClient({ ...awsClientConfig("servicecatalog"), credentials: session.credentials });
    clients.set(session, client);
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
): Promise<T> {
  // Getting the session comes before any Service Catalog call: when it fails, nothing was changed.
  const session = () =>
    sessionFor(identity, kind).catch((error: unknown) => {
      throw fromSessionError(error, context);
    });
  try {
    const current = await session();
    try {
      return await call(clientFor(current), current);
    } catch (error) {
      if (!isExpiredTokenError(error)) throw error;
      forgetSession(identity, kind);
      const fresh = await session();
      return await call(clientFor(fresh), fresh);
    }
  } catch (error) {
    throw fromAwsError(error, context);
  }
}

export const sc = {
  searchProducts: (client: ServiceCatalogClient, pageToken?: string) =>
    client.send(new SearchProductsCommand({ PageSize: 100, ...(pageToken ? { PageToken: pageToken } : {}) })),
  describeProduct: (client: ServiceCatalogClient, productId: string) => client.send(new DescribeProductCommand({ Id: productId })),
  listLaunchPaths: (client: ServiceCatalogClient, productId: string) => client.send(new ListLaunchPathsCommand({ ProductId: productId })),
  describeProvisioningParameters: (client: ServiceCatalogClient, input: { productId: string; artifactId: string; pathId?: string }) =>
    client.send(
      new DescribeProvisioningParametersCommand({
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
      }),
    ),
  describeProvisioningArtifact: (client: ServiceCatalogClient, productId: string, artifactId: string) =>
    client.send(new DescribeProvisioningArtifactCommand({ ProductId: productId, ProvisioningArtifactId: artifactId, Verbose: true })),
  provisionProduct: (
    client: ServiceCatalogClient,
    input: { productId: string; artifactId: string; pathId?: string; name: string; token: string; parameters: ProvisioningParameter[]; tags: Tag[] },
  ) =>
    client.send(
      new ProvisionProductCommand({
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
        ProvisionedProductName: input.name,
        ProvisionToken: input.token,
        ProvisioningParameters: input.parameters,
        Tags: input.tags,
      }),
    ),
  describeRecord: (client: ServiceCatalogClient, recordId: string) => client.send(new DescribeRecordCommand({ Id: recordId })),
  updateProvisionedProduct: (
    client: ServiceCatalogClient,
    input: { provisionedProductId: string; productId: string; artifactId: string; pathId?: string; token: string; parameters: UpdateProvisioningParameter[]; tags?: Tag[] },
  ) =>
    client.send(
      new UpdateProvisionedProductCommand({
        ProvisionedProductId: input.provisionedProductId,
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
        UpdateToken: input.token,
        ProvisioningParameters: input.parameters,
        ...(input.tags ? { Tags: input.tags } : {}),
      }),
    ),
  terminateProvisionedProduct: (client: ServiceCatalogClient, input: { provisionedProductId: string; token: string; ignoreErrors?: boolean }) =>
    client.send(
      new TerminateProvisionedProductCommand({
        ProvisionedProductId: input.provisionedProductId,
        TerminateToken: input.token,
        IgnoreErrors: input.ignoreErrors ?? false,
      }),
    ),
  createPlan: (
    client: ServiceCatalogClient,
    input: { provisionedProductId: string; name: string; productId: string; artifactId: string; pathId?: string; planName: string; token: string; parameters: UpdateProvisioningParameter[]; tags?: Tag[] },
  ) =>
    client.send(
      new CreateProvisionedProductPlanCommand({
        PlanName: input.planName,
        PlanType: "CLOUDFORMATION",
        ProductId: input.productId,
        ProvisioningArtifactId: input.artifactId,
        ...(input.pathId ? { PathId: input.pathId } : {}),
        ProvisionedProductName: input.name,
        IdempotencyToken: input.token,
        ProvisioningParameters: input.parameters,
        ...(input.tags ? { Tags: input.tags } : {}),
      }),
    ),
  describePlan: (client: ServiceCatalogClient, planId: string) => client.send(new DescribeProvisionedProductPlanCommand({ PlanId: planId })),
  /**
   * What an update would change, resource by resource: a plan is created, read once AWS has
   * worked it out (at most ~15 s) and deleted again.
   */
  async planChanges(
    client: ServiceCatalogClient,
    input: { provisionedProductId: string; name: string; productId: string; artifactId: string; pathId?: string; parameters: UpdateProvisioningParameter[]; tags?: Tag[] },
  ): Promise<PlanResourceChange[]> {
    const created = await sc.createPlan(client, { ...input, planName: `preview-${Date.now()}`, token: crypto.randomUUID() });
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
  },
  deletePlan: (client: ServiceCatalogClient, planId: string) => client.send(new DeleteProvisionedProductPlanCommand({ PlanId: planId, IgnoreErrors: true })),
  describeProvisionedProduct: (client: ServiceCatalogClient, id: string) => client.send(new DescribeProvisionedProductCommand({ Id: id })),
  searchProvisionedProductsByName: (client: ServiceCatalogClient, name: string) =>
    client.send(new SearchProvisionedProductsCommand({ Filters: { SearchQuery: [`name:${name}`] }, AccessLevelFilter: { Key: "User", Value: "Self" } })),
  scanAccount: (client: ServiceCatalogClient, pageToken?: string) =>
    client.send(
      new ScanProvisionedProductsCommand({ AccessLevelFilter: { Key: "Account", Value: "self" }, PageSize: 20, ...(pageToken ? { PageToken: pageToken } : {}) }),
    ),
  changeOwner: (client: ServiceCatalogClient, provisionedProductId: string, ownerArn: string, token: string) =>
    client.send(
      new UpdateProvisionedProductPropertiesCommand({
        ProvisionedProductId: provisionedProductId,
        ProvisionedProductProperties: { OWNER: ownerArn },
        IdempotencyToken: token,
      }),
    ),
};
