import { randomUUID } from "node:crypto";
import type { Principal } from "../core/identity";
import { randomId } from "../core/ids";
import type { ParameterInput } from "../cloudformation/parameters";
import type { Tag } from "../cloudformation/resources";
import type { CatalogArtifact, CatalogPortfolio, CatalogProduct } from "./catalog";
import { tagUpdatePolicy } from "./constraints";
import { canActOn } from "./access";
import { checkTagShapes, resolveParameters, validated, validateName, validateTags, validateToken } from "./checks";
import { DuplicateResourceException, InvalidParametersException, InvalidStateException, ResourceNotFoundException } from "./errors";
import { page } from "./paging";
import { Part } from "./part";
import { detail, outputsOf, recordDetail } from "./shapes";
import { principalOf, type ProvisionedProduct, type ProvisionedProductStatus, type RecordWork } from "./state";

/** OWNER: "user ARNs, IAM role ARNs, and STS assumed-role ARNs" (the account is checked separately). */
const PRINCIPAL_ARN = /^arn:aws:(?:iam::(\d{12}):(?:user|role)\/[\w+=,.@/-]+|sts::(\d{12}):assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
/** How long an UPDATE_PROVISIONED_PRODUCT_PROPERTIES record stays in progress, at most. */
const PROPERTIES_UPDATE_MS = 1000;

/** Which product, version and launch path a launch or an update names (by id or by name). */
type VersionChoice = { ProductId?: string; ProductName?: string; ProvisioningArtifactId?: string; ProvisioningArtifactName?: string; PathId?: string; PathName?: string };

/**
 * Provisioned products: launched, described, updated, terminated and handed to another owner
 * (UpdateProvisionedProductProperties). Each change is a record (records.ts).
 */
export class ProvisionedProducts extends Part {
  private provisionedProductFor(caller: Principal, input: { id?: string; name?: string }): ProvisionedProduct {
    if (!input.id && !input.name) throw new InvalidParametersException("ProvisionedProductId or ProvisionedProductName is required.");
    const pp = Object.values(this.data.provisionedProducts).find((p) => (input.id ? p.id === input.id : p.name === input.name || p.arn === input.name));
    // Another user's product looks the same as one that does not exist.
    if (!pp || !canActOn(caller, pp.userArn)) throw new ResourceNotFoundException(`Provisioned product not found: ${input.id ?? input.name}`);
    return pp;
  }

  /**
   * Another operation is in progress. Each operation refuses with an error its model lists:
   * InvalidParametersException (UpdateProvisionedProduct, TerminateProvisionedProduct) or
   * InvalidStateException (plans, UpdateProvisionedProductProperties).
   */
  assertChangeable(pp: ProvisionedProduct, refuse: new (message: string) => Error): void {
    if (pp.status === "UNDER_CHANGE") {
      throw new refuse(`The provisioned product ${pp.name} (${pp.id}) is UNDER_CHANGE: another operation is in progress. Wait until it completes.`);
    }
  }

  provisionProduct(
    caller: Principal,
    input: VersionChoice & {
      ProvisionedProductName?: string;
      ProvisioningParameters?: ParameterInput[];
      Tags?: Tag[];
      NotificationArns?: string[];
      ProvisionToken?: string;
    },
  ) {
    const token = validateToken(input.ProvisionToken, "provisionToken");
    const name = validateName(input.ProvisionedProductName);
    return this.records.request("ProvisionProduct", token, caller, () => {
      const product = this.catalog.productFor(caller, { id: input.ProductId, name: input.ProductName });
      const artifact = this.catalog.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName });
      if (!artifact.active) throw new InvalidParametersException(`Provisioning artifact ${artifact.id} is not active.`);
      if (artifact.deprecated) {
        throw new InvalidParametersException(`Provisioning artifact ${artifact.id} (${artifact.name}) is deprecated: new provisioned products cannot be launched with it. Choose a current version.`);
      }
      const path = this.catalog.pathFor(caller, product, { id: input.PathId, name: input.PathName });
      const tags = validateTags(input.Tags, this.catalog.tagOptionsFor(product, path));
      const parameters = resolveParameters(artifact.template, input.ProvisioningParameters);
      this.assertNameFree(name);

      const pp = this.newProvisionedProduct(caller, { name, token, product, artifact, path, tags, parameters });
      const work = this.records.recordWork(caller, product, "PROVISION", { parameters, artifactId: artifact.id, pathId: path.launchPathId, tags });
      const record = this.records.newRecord("PROVISION_PRODUCT", pp, caller, work, this.options.timings.provisionMs);
      return record;
    });
  }

  private assertNameFree(name: string): void {
    if (Object.values(this.data.provisionedProducts).some((p) => p.name === name)) {
      throw new DuplicateResourceException(`A provisioned product with the name '${name}' already exists in this account.`);
    }
  }

  newProvisionedProduct(
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

  describeProvisionedProduct(caller: Principal, input: { Id?: string; Name?: string }) {
    if (input.Id && input.Name) throw new InvalidParametersException("Specify either Id or Name, not both.");
    const pp = this.provisionedProductFor(caller, { id: input.Id, name: input.Name });
    return { ProvisionedProductDetail: detail(pp), CloudWatchDashboards: [] };
  }

  getProvisionedProductOutputs(caller: Principal, input: { ProvisionedProductId?: string; ProvisionedProductName?: string; OutputKeys?: string[]; PageSize?: number; PageToken?: string }) {
    const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId, name: input.ProvisionedProductName });
    const stack = this.data.stacks[pp.stackId];
    let outputs = stack ? outputsOf(pp, stack) : [];
    if (input.OutputKeys?.length) outputs = outputs.filter((o) => input.OutputKeys!.includes(o.OutputKey));
    const { items, next } = page(outputs, input.PageSize, input.PageToken, 20);
    return { Outputs: items, NextPageToken: next };
  }

  updateProvisionedProduct(
    caller: Principal,
    input: VersionChoice & {
      ProvisionedProductName?: string;
      ProvisionedProductId?: string;
      ProvisioningParameters?: ParameterInput[];
      Tags?: Tag[];
      UpdateToken?: string;
    },
  ) {
    const token = validateToken(input.UpdateToken, "updateToken");
    return this.records.request("UpdateProvisionedProduct", token, caller, () => {
      if (input.ProvisionedProductId && input.ProvisionedProductName) throw new InvalidParametersException("Specify either ProvisionedProductId or ProvisionedProductName, not both.");
      const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId, name: input.ProvisionedProductName });
      this.assertChangeable(pp, InvalidParametersException);
      this.assertUpdatable(pp, InvalidParametersException);
      const { product, artifact, path, tags, parameters } = this.updateTarget(caller, pp, input);
      const work = this.records.recordWork(caller, product, "UPDATE", { parameters, artifactId: artifact.id, pathId: path.launchPathId, tags });
      const record = this.records.newRecord("UPDATE_PROVISIONED_PRODUCT", pp, caller, work, this.options.timings.updateMs);
      return record;
    });
  }

  /** A failed launch, or a plan not executed yet, has no stack to update. */
  assertUpdatable(pp: ProvisionedProduct, refuse: new (message: string) => Error): void {
    if (pp.status === "ERROR" || pp.status === "PLAN_IN_PROGRESS" || !this.data.stacks[pp.stackId]) {
      throw new refuse(`The provisioned product ${pp.name} (${pp.id}) is in ${pp.status} state and cannot be updated. Terminate it and provision a new one.`);
    }
  }

  /** What an update (or an update plan) would deploy: version, launch path, tags and parameters. */
  updateTarget(
    caller: Principal,
    pp: ProvisionedProduct,
    input: VersionChoice & { ProvisioningParameters?: ParameterInput[]; Tags?: Tag[] },
  ) {
    const product = this.catalog.productFor(caller, { id: input.ProductId ?? (input.ProductName ? undefined : pp.productId), name: input.ProductName });
    if (product.id !== pp.productId) throw new InvalidParametersException(`The provisioned product ${pp.id} was launched from product ${pp.productId}, not ${product.id}.`);
    const artifact =
      input.ProvisioningArtifactId || input.ProvisioningArtifactName
        ? this.catalog.artifactFor(product, { id: input.ProvisioningArtifactId, name: input.ProvisioningArtifactName })
        : this.catalog.artifactFor(product, { id: pp.artifactId });
    if (!artifact.active) throw new InvalidParametersException(`Provisioning artifact ${artifact.id} is not active.`);
    const path = input.PathId || input.PathName ? this.catalog.pathFor(caller, product, { id: input.PathId, name: input.PathName }) : this.catalog.pathFor(caller, product, { id: pp.pathId });
    // Without a RESOURCE_UPDATE constraint allowing it, AWS ignores tag changes on update (the
    // request's Tags must still be well-formed).
    const tagsAllowed = tagUpdatePolicy(path, product.id) === "ALLOWED";
    if (!tagsAllowed) checkTagShapes(input.Tags);
    const tags = tagsAllowed ? validateTags(input.Tags ?? pp.tags, this.catalog.tagOptionsFor(product, path)) : pp.tags;
    const parameters = resolveParameters(artifact.template, input.ProvisioningParameters, pp.parameters);
    return { product, artifact, path, tags, parameters };
  }

  terminateProvisionedProduct(caller: Principal, input: { ProvisionedProductName?: string; ProvisionedProductId?: string; TerminateToken?: string; IgnoreErrors?: boolean; RetainPhysicalResources?: boolean }) {
    const token = validateToken(input.TerminateToken, "terminateToken");
    const previous = this.records.idempotent("TerminateProvisionedProduct", token);
    if (previous) {
      // "This token is only valid during the termination process. After the provisioned product is
      // terminated, subsequent requests to terminate the same provisioned product always return
      // ResourceNotFound." A termination that failed is over too: the request is a new one.
      const record = this.data.records[previous]!;
      if (record.status === "CREATED" || record.status === "IN_PROGRESS") return this.records.replay(caller, previous);
      if (!this.data.provisionedProducts[record.provisionedProductId]) throw new ResourceNotFoundException(`Provisioned product not found: ${record.provisionedProductId}`);
    }
    if (input.ProvisionedProductId && input.ProvisionedProductName) throw new InvalidParametersException("Specify either ProvisionedProductId or ProvisionedProductName, not both.");
    const pp = this.provisionedProductFor(caller, { id: input.ProvisionedProductId, name: input.ProvisionedProductName });
    this.assertChangeable(pp, InvalidParametersException);
    const product = this.catalog.productById(pp.productId)!;
    const work = this.records.recordWork(caller, product, "TERMINATE", {
      parameters: pp.parameters,
      artifactId: pp.artifactId,
      pathId: pp.pathId,
      tags: pp.tags,
      retainPhysicalResources: input.RetainPhysicalResources === true,
      ignoreErrors: input.IgnoreErrors === true,
    });
    // A product whose plan was never executed has nothing to delete.
    const record = this.records.newRecord("TERMINATE_PROVISIONED_PRODUCT", pp, caller, work, this.data.stacks[pp.stackId] ? this.options.timings.terminateMs : 0);
    this.records.remember("TerminateProvisionedProduct", token, record.id);
    return { RecordDetail: recordDetail(record) };
  }

  /**
   * Admin only (permissions.ts). The record goes CREATED, IN_PROGRESS, SUCCEEDED like any other and
   * the product is UNDER_CHANGE meanwhile; the new owner or launch role applies when it completes.
   */
  updateProvisionedProductProperties(caller: Principal, input: { ProvisionedProductId?: string; ProvisionedProductProperties?: Record<string, string>; IdempotencyToken?: string }) {
    const token = validateToken(input.IdempotencyToken, "idempotencyToken");
    const previous = this.records.idempotent("UpdateProvisionedProductProperties", token);
    if (previous) {
      const record = this.data.records[previous]!;
      return { ProvisionedProductId: record.provisionedProductId, ProvisionedProductProperties: record.work.properties, RecordId: record.id, Status: record.status };
    }
    validated((checks) => {
      if (input.ProvisionedProductId === undefined) checks.add("null", "provisionedProductId", "not be null");
      if (input.ProvisionedProductProperties === undefined) checks.add("null", "provisionedProductProperties", "not be null");
      else if (Object.keys(input.ProvisionedProductProperties).length === 0) checks.add("{}", "provisionedProductProperties", "have length greater than or equal to 1");
    });
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
    const record = this.records.newRecord("UPDATE_PROVISIONED_PRODUCT_PROPERTIES", pp, caller, work, Math.min(this.options.timings.updateMs, PROPERTIES_UPDATE_MS));
    this.records.remember("UpdateProvisionedProductProperties", token, record.id);
    return { ProvisionedProductId: pp.id, ProvisionedProductProperties: work.properties, RecordId: record.id, Status: record.status };
  }
}
