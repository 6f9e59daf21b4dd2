import { creationOrder, evaluate, evaluateCondition, TemplateError, unknownSources, type EvaluationContext, type ResourceView } from "./intrinsics";
import { providerFor, ResourceFailure, type ProvisioningContext, type Tag, type World } from "./resources";
import type { Template } from "./template";

/**
 * A CloudFormation stack as far as the emulator needs one: create, update (in place or by
 * replacement, rolled back as a whole on failure), delete (honouring DeletionPolicy Retain) and
 * the change set a plan shows.
 */
export type StackResource = {
  logicalId: string;
  type: string;
  physicalId: string;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
};

export type StackOutput = { OutputKey: string; OutputValue: string; Description?: string };

export type Stack = {
  stackId: string;
  stackName: string;
  parameters: Record<string, string>;
  tags: Tag[];
  /** In creation order. */
  resources: Record<string, StackResource>;
  outputs: StackOutput[];
  createdAt: string;
  updatedAt: string;
};

export type StackEnvironment = Omit<ProvisioningContext, "world" | "stackTags"> & { exports: Record<string, string> };

export type StackFailure = { logicalId?: string; message: string };

export type DeployResult = { ok: true; stack: Stack; world: World } | { ok: false; failure: StackFailure };

function evaluationContext(template: Template, parameters: Record<string, string>, env: StackEnvironment, allowUnknown = false): EvaluationContext {
  return {
    template,
    parameters,
    pseudo: { AccountId: env.account, Region: env.region, StackName: env.stackName, StackId: env.stackId, Partition: "aws", URLSuffix: "amazonaws.com" },
    resources: {},
    exports: env.exports,
    allowUnknown,
  };
}

function activeResources(context: EvaluationContext): string[] {
  return Object.entries(context.template.Resources)
    .filter(([, resource]) => resource.Condition === undefined || evaluateCondition(context, resource.Condition))
    .map(([id]) => id);
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function sameTags(a: Tag[], b: Tag[]): boolean {
  return JSON.stringify([...a].sort((x, y) => x.Key.localeCompare(y.Key))) === JSON.stringify([...b].sort((x, y) => x.Key.localeCompare(y.Key)));
}

function describeFailure(error: unknown, verb: string): StackFailure {
  if (error instanceof ResourceFailure) {
    return {
      logicalId: error.logicalId,
      message: `The following resource(s) failed to ${verb}: [${error.logicalId}]. Resource handler returned message: "${error.message}" (HandlerErrorCode: ${error.handlerErrorCode})`,
    };
  }
  if (error instanceof TemplateError) return { message: error.message };
  throw error;
}

function view(resource: StackResource): ResourceView {
  return { ref: resource.physicalId, attributes: resource.attributes, type: resource.type };
}

/**
 * Creates the stack (no `existing`) or updates it. Works on a copy of the world: on failure the
 * copy is dropped, which is CloudFormation's rollback.
 */
export function deployStack(world: World, existing: Stack | undefined, template: Template, parameters: Record<string, string>, tags: Tag[], env: StackEnvironment): DeployResult {
  const draft = structuredClone(world);
  const ctx: ProvisioningContext = { ...env, world: draft, stackTags: tags };
  const context = evaluationContext(template, parameters, env);
  const verb = existing ? "update" : "create";
  const tagsChanged = existing ? !sameTags(existing.tags, tags) : false;
  try {
    const order = creationOrder(template, activeResources(context));
    const resources: Record<string, StackResource> = {};
    const replaced: StackResource[] = [];
    for (const logicalId of order) {
      const definition = template.Resources[logicalId]!;
      const props = evaluate(context, definition.Properties ?? {}) as Record<string, unknown>;
      const provider = providerFor(definition.Type);
      const old = existing?.resources[logicalId];
      let physicalId: string;
      let attributes: Record<string, unknown>;
      if (old && old.type === definition.Type) {
        const changed = changedKeys(old.properties, props);
        if (changed.some((k) => provider.replaceOn.includes(k))) {
          ({ physicalId, attributes } = provider.create(ctx, logicalId, props));
          replaced.push(old);
        } else if ((changed.length > 0 || tagsChanged) && provider.update) {
          ({ physicalId, attributes } = provider.update(ctx, logicalId, old.physicalId, props));
        } else {
          ({ physicalId, attributes } = old);
        }
      } else {
        if (old) replaced.push(old);
        ({ physicalId, attributes } = provider.create(ctx, logicalId, props));
      }
      resources[logicalId] = {
        logicalId,
        type: definition.Type,
        physicalId,
        properties: props,
        attributes,
        ...(definition.DeletionPolicy ? { deletionPolicy: definition.DeletionPolicy } : {}),
        ...(definition.UpdateReplacePolicy ? { updateReplacePolicy: definition.UpdateReplacePolicy } : {}),
      };
      context.resources[logicalId] = view(resources[logicalId]!);
    }
    // Cleanup phase: replaced resources, then resources no longer in the template.
    for (const old of replaced.reverse()) providerFor(old.type).delete(ctx, old.logicalId, old.physicalId, old.updateReplacePolicy === "Retain");
    const removed = Object.values(existing?.resources ?? {}).filter((r) => !(r.logicalId in resources));
    for (const old of removed.reverse()) providerFor(old.type).delete(ctx, old.logicalId, old.physicalId, old.deletionPolicy === "Retain");

    const outputs: StackOutput[] = [];
    for (const [key, output] of Object.entries(template.Outputs ?? {})) {
      if (output.Condition !== undefined && !evaluateCondition(context, output.Condition)) continue;
      const value = evaluate(context, output.Value);
      outputs.push({ OutputKey: key, OutputValue: Array.isArray(value) ? value.join(",") : String(value), ...(output.Description ? { Description: output.Description } : {}) });
    }
    const now = env.now.toISOString();
    return {
      ok: true,
      world: draft,
      stack: {
        stackId: env.stackId,
        stackName: env.stackName,
        parameters,
        tags,
        resources,
        outputs,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      },
    };
  } catch (error) {
    return { ok: false, failure: describeFailure(error, verb) };
  }
}

/** Deletes the stack's resources in reverse creation order; `retainAll` keeps every one of them. */
export function deleteStack(world: World, stack: Stack, env: StackEnvironment, retainAll: boolean): { ok: true; world: World } | { ok: false; failure: StackFailure } {
  const draft = structuredClone(world);
  const ctx: ProvisioningContext = { ...env, world: draft, stackTags: stack.tags };
  try {
    for (const resource of Object.values(stack.resources).reverse()) {
      providerFor(resource.type).delete(ctx, resource.logicalId, resource.physicalId, retainAll || resource.deletionPolicy === "Retain");
    }
    return { ok: true, world: draft };
  } catch (error) {
    return { ok: false, failure: describeFailure(error, "delete") };
  }
}

export type ResourceChange = {
  Action: "ADD" | "MODIFY" | "REMOVE";
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Replacement?: "TRUE" | "FALSE" | "CONDITIONAL";
  Scope?: string[];
  Details?: Array<{
    Target: { Attribute: string; Name: string; RequiresRecreation: "NEVER" | "CONDITIONALLY" | "ALWAYS" };
    Evaluation: "STATIC" | "DYNAMIC";
    CausingEntity?: string;
  }>;
};

/** Parameters a property's definition refers to (Ref X, ${X}). */
function parametersIn(template: Template, node: unknown): string[] {
  const text = JSON.stringify(node) ?? "";
  return Object.keys(template.Parameters ?? {}).filter((name) => text.includes(`"Ref":"${name}"`) || text.includes(`\${${name}}`));
}

/** The changes deploying the template with these parameters would make (a change set). */
export function planStackChanges(existing: Stack | undefined, template: Template, parameters: Record<string, string>, env: StackEnvironment): ResourceChange[] {
  const context = evaluationContext(template, parameters, env, true);
  const changes: ResourceChange[] = [];
  const order = creationOrder(template, activeResources(context));
  const changedParameters = new Set(Object.keys(parameters).filter((k) => existing?.parameters[k] !== parameters[k]));
  for (const logicalId of order) {
    const definition = template.Resources[logicalId]!;
    const old = existing?.resources[logicalId];
    if (!old || old.type !== definition.Type) {
      if (old) changes.push({ Action: "REMOVE", LogicalResourceId: logicalId, PhysicalResourceId: old.physicalId, ResourceType: old.type });
      changes.push({ Action: "ADD", LogicalResourceId: logicalId, ResourceType: definition.Type });
      continue;
    }
    const props = evaluate(context, definition.Properties ?? {}) as Record<string, unknown>;
    const changed = changedKeys(old.properties, props);
    if (changed.length === 0) {
      context.resources[logicalId] = view(old);
      continue;
    }
    const replaceOn = providerFor(definition.Type).replaceOn;
    const details: NonNullable<ResourceChange["Details"]> = [];
    let replacement: "TRUE" | "FALSE" | "CONDITIONAL" = "FALSE";
    for (const key of changed) {
      const sources = unknownSources(props[key]);
      const dynamic = sources.length > 0;
      const recreates = replaceOn.includes(key);
      if (recreates) replacement = !dynamic ? "TRUE" : replacement === "TRUE" ? "TRUE" : "CONDITIONAL";
      const causes = dynamic ? sources : parametersIn(template, definition.Properties?.[key]).filter((p) => changedParameters.has(p));
      const target = { Attribute: key === "Tags" ? "TAGS" : "PROPERTIES", Name: key, RequiresRecreation: recreates ? ("ALWAYS" as const) : ("NEVER" as const) };
      if (causes.length === 0) details.push({ Target: target, Evaluation: dynamic ? "DYNAMIC" : "STATIC" });
      for (const cause of causes) details.push({ Target: target, Evaluation: dynamic ? "DYNAMIC" : "STATIC", CausingEntity: cause });
    }
    changes.push({
      Action: "MODIFY",
      LogicalResourceId: logicalId,
      PhysicalResourceId: old.physicalId,
      ResourceType: definition.Type,
      Replacement: replacement,
      Scope: [...new Set(details.map((d) => d.Target.Attribute))],
      Details: details,
    });
    // A replaced resource gets a new id: what refers to it changes dynamically.
    if (replacement === "FALSE") context.resources[logicalId] = view(old);
  }
  for (const old of Object.values(existing?.resources ?? {})) {
    if (!order.includes(old.logicalId)) changes.push({ Action: "REMOVE", LogicalResourceId: old.logicalId, PhysicalResourceId: old.physicalId, ResourceType: old.type });
  }
  return changes;
}
