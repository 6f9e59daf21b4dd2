import type { Principal } from "../core/identity";
import { randomId } from "../core/ids";
import { TemplateError } from "../cloudformation/intrinsics";
import type { ParameterInput } from "../cloudformation/parameters";
import type { Tag } from "../cloudformation/resources";
import { planStackChanges, type ResourceChange } from "../cloudformation/stack";
import type { CatalogArtifact, CatalogPortfolio } from "./catalog";
import { canActOn } from "./access";
import { resolveParameters, validated, validateName, validateTags, validateToken } from "./checks";
import { DuplicateResourceException, InvalidParametersException, InvalidStateException, ResourceNotFoundException } from "./errors";
import { page } from "./paging";
import { Part } from "./part";
import { date } from "./shapes";
import { principalOf, type Plan, type ProvisionedProduct, type RecordType } from "./state";

/** Provisioned product plans: what a launch or an update would change, worked out, then executed or deleted. */
export class Plans extends Part {
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
    const token = validateToken(input.IdempotencyToken, "idempotencyToken");
    validated((checks) => {
      if (input.PlanName === undefined) checks.add("null", "planName", "not be null");
      if (input.PlanType === undefined) checks.add("null", "planType", "not be null");
      else if (input.PlanType !== "CLOUDFORMATION") checks.add(input.PlanType, "planType", "satisfy enum value set: [CLOUDFORMATION]");
      if (input.ProductId === undefined) checks.add("null", "productId", "not be null");
      if (input.ProvisioningArtifactId === undefined) checks.add("null", "provisioningArtifactId", "not be null");
    });
    const name = validateName(input.ProvisionedProductName);
    const previous = this.records.idempotent("CreateProvisionedProductPlan", token);
    if (previous && this.data.plans[previous]) return this.planSummary(this.data.plans[previous]!);

    const product = this.catalog.productFor(caller, { id: input.ProductId });
    const existing = Object.values(this.data.provisionedProducts).find((p) => p.name === name);
    let pp: ProvisionedProduct;
    let createsProduct = false;
    let artifact: CatalogArtifact;
    let path: CatalogPortfolio;
    let tags: Tag[];
    let parameters: Record<string, string>;
    if (existing) {
      if (!canActOn(caller, existing.userArn)) throw new DuplicateResourceException(`A provisioned product with the name '${name}' already exists in this account.`);
      // "To create a plan for an existing provisioned product, the product status must be AVAILABLE or TAINTED."
      this.products.assertChangeable(existing, InvalidStateException);
      this.products.assertUpdatable(existing, InvalidStateException);
      ({ artifact, path, tags, parameters } = this.products.updateTarget(caller, existing, { ...input, ProvisioningParameters: input.ProvisioningParameters }));
      pp = existing;
    } else {
      artifact = this.catalog.artifactFor(product, { id: input.ProvisioningArtifactId });
      if (artifact.deprecated) throw new InvalidParametersException(`Provisioning artifact ${artifact.id} (${artifact.name}) is deprecated: new provisioned products cannot be launched with it.`);
      path = this.catalog.pathFor(caller, product, { id: input.PathId });
      tags = validateTags(input.Tags, this.catalog.tagOptionsFor(product, path));
      if ((input.ProvisioningParameters ?? []).some((p) => p.UsePreviousValue)) {
        throw new InvalidParametersException("UsePreviousValue cannot be used when the plan launches a new provisioned product.");
      }
      parameters = resolveParameters(artifact.template, input.ProvisioningParameters);
      pp = this.products.newProvisionedProduct(caller, { name, token, product, artifact, path, tags, parameters, status: "PLAN_IN_PROGRESS" });
      createsProduct = true;
    }
    let resourceChanges: ResourceChange[];
    try {
      resourceChanges = planStackChanges(this.data.stacks[pp.stackId], artifact.template, parameters, this.records.stackEnvironment(pp, this.now()));
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
    this.records.remember("CreateProvisionedProductPlan", token, plan.id);
    return this.planSummary(plan);
  }

  private planSummary(plan: Plan) {
    return { PlanName: plan.name, PlanId: plan.id, ProvisionProductId: plan.provisionedProductId, ProvisionedProductName: plan.provisionedProductName, ProvisioningArtifactId: plan.artifactId };
  }

  private planFor(caller: Principal, planId: string | undefined): Plan {
    const plan = planId ? this.data.plans[planId] : undefined;
    if (!plan || !canActOn(caller, plan.ownerArn)) throw new ResourceNotFoundException(`Plan not found: ${planId}`);
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
    const token = validateToken(input.IdempotencyToken, "idempotencyToken");
    return this.records.request("ExecuteProvisionedProductPlan", token, caller, () => {
      const plan = this.planFor(caller, input.PlanId);
      if (plan.status !== "CREATE_SUCCESS") throw new InvalidStateException(`The plan ${plan.id} is in ${plan.status} state; only a plan in CREATE_SUCCESS state can be executed.`);
      const pp = this.data.provisionedProducts[plan.provisionedProductId];
      if (!pp) throw new ResourceNotFoundException(`Provisioned product not found: ${plan.provisionedProductId}`);
      this.products.assertChangeable(pp, InvalidStateException);
      const product = this.catalog.productById(plan.productId)!;
      const work = this.records.recordWork(caller, product, plan.createsProduct ? "PROVISION" : "UPDATE", {
        parameters: plan.resolvedParameters,
        artifactId: plan.artifactId,
        pathId: plan.pathId,
        tags: plan.tags,
        planId: plan.id,
      });
      const type: RecordType = plan.createsProduct ? "PROVISION_PRODUCT" : "UPDATE_PROVISIONED_PRODUCT";
      const record = this.records.newRecord(type, pp, caller, work, plan.createsProduct ? this.options.timings.provisionMs : this.options.timings.updateMs);
      plan.status = "EXECUTE_IN_PROGRESS";
      plan.updatedTime = this.now();
      plan.executeRecordId = record.id;
      return record;
    });
  }

  deleteProvisionedProductPlan(caller: Principal, input: { PlanId?: string; IgnoreErrors?: boolean }) {
    const plan = this.planFor(caller, input.PlanId);
    delete this.data.plans[plan.id];
    const pp = this.data.provisionedProducts[plan.provisionedProductId];
    if (plan.createsProduct && pp?.status === "PLAN_IN_PROGRESS") delete this.data.provisionedProducts[pp.id];
    return {};
  }

  describePlanRaw(plan: Plan) {
    const { principal: _principal, ...rest } = plan;
    return rest;
  }
}
