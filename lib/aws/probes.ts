import "server-only";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  DescribeProductCommand,
  DescribeProvisioningParametersCommand,
  ListLaunchPathsCommand,
  SearchProductsCommand,
  SearchProvisionedProductsCommand,
  ServiceCatalogClient,
} from "@aws-sdk/client-service-catalog";
import type { AwsCredentials } from "@/lib/aws/config";

/**
 * What `npm run doctor` asks AWS, with the settings it is given (not the running portal's): who
 * the base credentials are, whether each role can be assumed the way the portal assumes it (session
 * tags, SourceIdentity), and what those sessions can see. Returns the portal's own types; an AWS
 * refusal becomes a ProbeError with AWS's code and message, for the doctor to explain.
 */
export type AwsTarget = {
  region: string;
  stsEndpoint?: string;
  serviceCatalogEndpoint?: string;
  /** Undefined: the SDK's default credential chain, as the portal does in production. */
  credentials?: AwsCredentials;
};

export class ProbeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function asked<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { name?: string; Code?: string; message?: string };
    throw new ProbeError(e.Code ?? e.name ?? "Error", e.message ?? String(err));
  }
}

const retries = { maxAttempts: 2 } as const;

function sts(target: AwsTarget) {
  return new STSClient({ region: target.region, ...retries, ...(target.stsEndpoint ? { endpoint: target.stsEndpoint } : {}), ...(target.credentials ? { credentials: target.credentials } : {}) });
}

function serviceCatalog(target: AwsTarget, credentials: AwsCredentials) {
  return new ServiceCatalogClient({ region: target.region, ...retries, ...(target.serviceCatalogEndpoint ? { endpoint: target.serviceCatalogEndpoint } : {}), credentials });
}

export async function callerIdentity(target: AwsTarget): Promise<{ arn: string; account: string }> {
  const out = await asked(() => sts(target).send(new GetCallerIdentityCommand({})));
  return { arn: out.Arn ?? "", account: out.Account ?? "" };
}

export type AssumeRoleProbe = {
  roleArn: string;
  sessionName: string;
  sourceIdentity: string;
  tags: { Key: string; Value: string }[];
  durationSeconds: number;
  externalId?: string;
};

export async function assumeRole(target: AwsTarget, probe: AssumeRoleProbe): Promise<{ arn: string; credentials: AwsCredentials }> {
  const out = await asked(() =>
    sts(target).send(
      new AssumeRoleCommand({
        RoleArn: probe.roleArn,
        RoleSessionName: probe.sessionName,
        SourceIdentity: probe.sourceIdentity,
        DurationSeconds: probe.durationSeconds,
        Tags: probe.tags,
        TransitiveTagKeys: probe.tags.map((t) => t.Key),
        ...(probe.externalId ? { ExternalId: probe.externalId } : {}),
      }),
    ),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new ProbeError("NoCredentials", "AssumeRole returned no credentials");
  return { arn: out.AssumedRoleUser?.Arn ?? "", credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } };
}

export type VisibleProduct = { id: string; name: string; launchPaths: number; tagOptionKeys: string[] };

/** The catalog as an end user sees it: each product, its launch paths, the TagOption keys of its newest version. */
export async function visibleCatalog(target: AwsTarget, credentials: AwsCredentials): Promise<VisibleProduct[]> {
  const client = serviceCatalog(target, credentials);
  const products: VisibleProduct[] = [];
  let token: string | undefined;
  do {
    const page = await asked(() => client.send(new SearchProductsCommand({ PageSize: 100, ...(token ? { PageToken: token } : {}) })));
    for (const view of page.ProductViewSummaries ?? []) {
      if (!view.ProductId) continue;
      const paths = (await asked(() => client.send(new ListLaunchPathsCommand({ ProductId: view.ProductId })))).LaunchPathSummaries ?? [];
      const artifacts = (await asked(() => client.send(new DescribeProductCommand({ Id: view.ProductId })))).ProvisioningArtifacts ?? [];
      const newest = artifacts.at(-1)?.Id;
      let tagOptionKeys: string[] = [];
      if (newest && paths[0]?.Id) {
        const parameters = await asked(() => client.send(new DescribeProvisioningParametersCommand({ ProductId: view.ProductId, ProvisioningArtifactId: newest, PathId: paths[0]!.Id })));
        tagOptionKeys = (parameters.TagOptions ?? []).map((t) => t.Key ?? "").filter(Boolean);
      }
      products.push({ id: view.ProductId, name: view.Name ?? view.ProductId, launchPaths: paths.length, tagOptionKeys });
    }
    token = page.NextPageToken || undefined;
  } while (token);
  return products;
}

/** An account-wide read of provisioned products, as the admin role and reconciliation do it. */
export async function accountWideRead(target: AwsTarget, credentials: AwsCredentials): Promise<number> {
  const out = await asked(() => serviceCatalog(target, credentials).send(new SearchProvisionedProductsCommand({ AccessLevelFilter: { Key: "Account", Value: "self" }, PageSize: 20 })));
  return out.TotalResultsCount ?? out.ProvisionedProducts?.length ?? 0;
}
