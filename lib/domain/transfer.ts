/**
 * What a transfer of ownership changes, in words an admin confirms before anything happens.
 *
 * Decisions:
 * - Three things move with the owner: Service Catalog's OWNER (always), the reserved tags
 *   (`OwnerEmail`, `Department`, `Project`: cost reports and IAM conditions read them) and the
 *   owner-bound parameters (e.g. the principal a bucket policy grants). Nothing else changes: other
 *   tags, other parameters and the version stay as they are.
 * - AWS changes a provisioned product's tags only where a RESOURCE_UPDATE constraint allows it
 *   (TagUpdateOnProvisionedProduct ALLOWED). Where it does not, the preview says so: the owner
 *   and the access still move, the old tags stay.
 * - "Who has access" lists the principals the product's owner-bound and sharing parameters grant,
 *   before and after; where the product grants nothing by parameter, access to it goes through
 *   IAM and follows the OwnerEmail tag, and the preview says that.
 */
import { isOwnerBoundParameter } from "./ownership";
import { buildReservedTags, isReservedTagKey, type Tag, type UserIdentity } from "./tags";
import type { ParameterValues, ProvisioningParameter } from "./parameters";

export type Party = UserIdentity & { principalArn: string };

export type TransferInput = {
  tags: readonly Tag[];
  parameters: ParameterValues;
  /** The parameters of the product's version. */
  declared: readonly ProvisioningParameter[];
  from: Party;
  to: Party;
  reservedKeys: readonly string[];
  ownerBoundKeys: readonly string[];
  /** The sharing parameter (e.g. S3UserARNs): principals the owner granted access to. */
  sharingKey?: string;
  tagUpdatesAllowed: boolean;
};

export type Change = { key: string; before: string | null; after: string };

export type TransferChanges = {
  owner: { from: string; to: string; fromPrincipal: string; toPrincipal: string };
  /** Reserved tags and their values after the transfer (unchanged ones included, for the record). */
  tags: Change[];
  tagsWillChange: boolean;
  /** Owner-bound parameters: the old owner's principal becomes the new owner's. */
  parameters: Change[];
  access: { before: string[]; after: string[]; loses: string[]; gains: string[]; viaTags: boolean };
  /** Plain sentences for what the admin should know before confirming. */
  notes: string[];
  /** The update a transfer sends in its step 2: new values for these; everything else kept. */
  update: { parameters: Record<string, string>; tags: Tag[] | null };
};

function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean);
}

export function transferChanges(input: TransferInput): TransferChanges {
  const { from, to } = input;
  const reservedAfter = buildReservedTags(to, input.reservedKeys);
  const current = new Map(input.tags.map((t) => [t.key.toLowerCase(), t.value]));
  const tags: Change[] = reservedAfter.map((t) => ({ key: t.key, before: current.get(t.key.toLowerCase()) ?? null, after: t.value }));
  const tagsDiffer = tags.some((t) => t.before !== t.after);

  const ownerBound = input.declared.filter((p) => isOwnerBoundParameter(p.key, input.ownerBoundKeys));
  const parameters: Change[] = ownerBound.map((p) => {
    const before = input.parameters[p.key];
    return { key: p.key, before: before === undefined ? null : Array.isArray(before) ? before.join(",") : before, after: to.principalArn };
  });

  const sharingParam = input.sharingKey ? input.declared.find((p) => p.key.toLowerCase() === input.sharingKey!.toLowerCase()) : undefined;
  const shared = sharingParam ? listOf(input.parameters[sharingParam.key]) : [];
  // The new owner may be among those it was shared with: as owner they have access anyway, and a
  // shared list naming the owner is refused by the sharing rules, so they leave the list.
  const sharedAfter = shared.filter((arn) => arn !== to.principalArn);
  const grantedBefore = [...new Set([...parameters.map((p) => p.before).filter((v): v is string => v !== null), ...shared])];
  const grantedAfter = [...new Set([...parameters.map((p) => p.after), ...sharedAfter])];
  const viaTags = ownerBound.length === 0;

  const notes: string[] = [];
  if (!input.tagUpdatesAllowed && tagsDiffer) {
    notes.push(
      "AWS does not allow tag changes on this product (no RESOURCE_UPDATE constraint allows them), so its tags keep naming the previous owner; the owner and the access still move.",
    );
  }
  if (viaTags) {
    notes.push(
      input.tagUpdatesAllowed
        ? "No parameter of this product names its owner: access goes through IAM and follows the OwnerEmail tag, which the transfer rewrites."
        : "No parameter of this product names its owner, and its tags cannot change: access that IAM grants by the OwnerEmail tag stays with the previous owner until an administrator changes the tags in AWS.",
    );
  }
  if (sharedAfter.length !== shared.length) notes.push(`It was shared with ${to.email}; as its owner they leave the list of shared principals.`);
  if (sharedAfter.length > 0) notes.push(`${sharedAfter.length} principal${sharedAfter.length === 1 ? "" : "s"} the owner shared it with keep${sharedAfter.length === 1 ? "s" : ""} access.`);

  const sendTags = input.tagUpdatesAllowed && tagsDiffer;
  const otherTags = input.tags.filter((t) => !isReservedTagKey(t.key, input.reservedKeys));
  return {
    owner: { from: from.email, to: to.email, fromPrincipal: from.principalArn, toPrincipal: to.principalArn },
    tags,
    tagsWillChange: sendTags,
    parameters,
    access: {
      before: viaTags ? [from.principalArn, ...shared] : grantedBefore,
      after: viaTags ? [input.tagUpdatesAllowed ? to.principalArn : from.principalArn, ...shared] : grantedAfter,
      loses: (viaTags ? (input.tagUpdatesAllowed ? [from.principalArn] : []) : grantedBefore.filter((p) => !grantedAfter.includes(p))),
      gains: (viaTags ? (input.tagUpdatesAllowed ? [to.principalArn] : []) : grantedAfter.filter((p) => !grantedBefore.includes(p))),
      viaTags,
    },
    notes,
    update: {
      parameters: {
        ...Object.fromEntries(parameters.filter((p) => p.before !== p.after).map((p) => [p.key, p.after])),
        ...(sharingParam && sharedAfter.length !== shared.length ? { [sharingParam.key]: sharedAfter.join(",") } : {}),
      },
      tags: sendTags ? [...otherTags.map((t) => ({ ...t })), ...reservedAfter] : null,
    },
  };
}

/** Whether step 2 (the update of tags and owner-bound parameters) has anything to send. */
export function updateNeeded(changes: TransferChanges): boolean {
  return Object.keys(changes.update.parameters).length > 0 || changes.update.tags !== null;
}

/** The steps as an admin reads them, for progress and for "step N of 3 failed". */
export const TRANSFER_STEPS = ["Change the owner in Service Catalog", "Update the tags and the owner's access", "Record the new owner in the portal"] as const;
