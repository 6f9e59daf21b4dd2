/**
 * What an update or a termination will do, in words a researcher understands.
 *
 * A provisioned product plan lists CloudFormation's resource changes. The ones that matter to a
 * person are replacements and removals of resources that hold data: "Replacement: True" on an
 * instance means a new machine and an empty disk. Those become "danger" warnings; other
 * replacements and removals are "warning"; additions and in-place changes are "info".
 */
import { humanizeKey } from "./parameters";

export type PlanAction = "ADD" | "MODIFY" | "REMOVE" | "IMPORT";
export type PlanReplacement = "TRUE" | "FALSE" | "CONDITIONAL";

export type PlanResourceChangeDetail = {
  target?: { attribute?: string; name?: string; requiresRecreation?: string };
  evaluation?: string;
  causingEntity?: string;
};

/** One of DescribeProvisionedProductPlan's ResourceChanges, in the portal's words (lib/aws maps AWS's). */
export type PlanResourceChange = {
  /** ADD | MODIFY | REMOVE | IMPORT; anything else is shown as a change. */
  action: PlanAction | (string & {});
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  /** TRUE | FALSE | CONDITIONAL; only meaningful for MODIFY. */
  replacement?: PlanReplacement | (string & {});
  details?: PlanResourceChangeDetail[];
};

export type PlanSeverity = "danger" | "warning" | "info";

export type PlanWarning = {
  severity: PlanSeverity;
  logicalResourceId: string;
  resourceType: string;
  message: string;
  /** Properties whose change forces the replacement (from the plan's details), if AWS said. */
  causes: string[];
};

type ResourceKind = {
  noun: string;
  plural: string;
  /** How a replacement reads: an instance is "recreated", a bucket "replaced". */
  replacedAs: "recreated" | "replaced";
  /** What is lost when it is replaced or deleted; none for resources that hold no data. */
  loss?: string;
  /** For the terminate dialog. */
  lostOnTerminate?: (count: number) => string;
};

/** Resources whose replacement or removal loses something a researcher cares about. */
const KINDS: Record<string, ResourceKind> = {
  "AWS::EC2::Instance": {
    noun: "instance",
    plural: "instances",
    replacedAs: "recreated",
    loss: "data on it will be lost",
    lostOnTerminate: (n) =>
      n === 1
        ? "The instance and its disk: anything stored on it is deleted."
        : `The ${n} instances and their disks: anything stored on them is deleted.`,
  },
  "AWS::EC2::Volume": {
    noun: "disk",
    plural: "disks",
    replacedAs: "replaced",
    loss: "the data on it will be lost",
    lostOnTerminate: (n) => (n === 1 ? "The disk and the data on it." : `The ${n} disks and the data on them.`),
  },
  "AWS::S3::Bucket": {
    noun: "bucket",
    plural: "buckets",
    replacedAs: "replaced",
    loss: "its objects will be lost",
    lostOnTerminate: (n) => (n === 1 ? "The bucket and every object in it." : `The ${n} buckets and every object in them.`),
  },
  "AWS::RDS::DBInstance": {
    noun: "database",
    plural: "databases",
    replacedAs: "replaced",
    loss: "its data will be lost unless you have a snapshot",
    lostOnTerminate: (n) => (n === 1 ? "The database and its data, unless a final snapshot is taken." : `The ${n} databases and their data, unless final snapshots are taken.`),
  },
  "AWS::RDS::DBCluster": {
    noun: "database cluster",
    plural: "database clusters",
    replacedAs: "replaced",
    loss: "its data will be lost unless you have a snapshot",
    lostOnTerminate: () => "The database cluster and its data, unless a final snapshot is taken.",
  },
  "AWS::DynamoDB::Table": {
    noun: "table",
    plural: "tables",
    replacedAs: "replaced",
    loss: "its items will be lost",
    lostOnTerminate: (n) => (n === 1 ? "The table and its items." : `The ${n} tables and their items.`),
  },
  "AWS::EFS::FileSystem": {
    noun: "file system",
    plural: "file systems",
    replacedAs: "replaced",
    loss: "its files will be lost",
    lostOnTerminate: (n) => (n === 1 ? "The file system and its files." : `The ${n} file systems and their files.`),
  },
  "AWS::SageMaker::NotebookInstance": {
    noun: "notebook instance",
    plural: "notebook instances",
    replacedAs: "recreated",
    loss: "files on it will be lost",
    lostOnTerminate: () => "The notebook instance and the files on it.",
  },
  "AWS::KMS::Key": {
    noun: "encryption key",
    plural: "encryption keys",
    replacedAs: "replaced",
    loss: "data encrypted with the old key can no longer be read once it is deleted",
  },
  "AWS::EC2::EIP": { noun: "public IP address", plural: "public IP addresses", replacedAs: "replaced", loss: "the address will change" },
};

/** Replacing these loses nothing stored, but changes what people connect to. */
const NOT_DATA: readonly string[] = ["AWS::EC2::EIP"];

function kindOf(resourceType: string): ResourceKind {
  const known = KINDS[resourceType];
  if (known) return known;
  // "AWS::EC2::SecurityGroup" -> "security group"
  const last = resourceType.split("::").at(-1) ?? "";
  const noun = last ? humanizeKey(last).replace(/\b([A-Z][a-z]+)\b/g, (w) => w.toLowerCase()) : "resource";
  return { noun, plural: `${noun}s`, replacedAs: "replaced" };
}

function holdsData(resourceType: string): boolean {
  return resourceType in KINDS && !NOT_DATA.includes(resourceType);
}

function withArticle(noun: string): string {
  return /^[aeiouAEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function causesOf(change: PlanResourceChange): string[] {
  const names = (change.details ?? [])
    .filter((d) => d.target?.requiresRecreation === "ALWAYS" || d.target?.requiresRecreation === "CONDITIONALLY")
    .map((d) => d.target?.name ?? "")
    .filter((name) => name !== "");
  return [...new Set(names)];
}

/** One resource change in plain words. */
export function describeResourceChange(change: PlanResourceChange): PlanWarning {
  const kind = kindOf(change.resourceType);
  const data = holdsData(change.resourceType);
  const base = { logicalResourceId: change.logicalResourceId, resourceType: change.resourceType, causes: causesOf(change) };
  const noun = kind.noun;
  switch (change.action) {
    case "ADD":
      return { ...base, severity: "info", message: `${capitalise(withArticle(noun))} will be created.` };
    case "IMPORT":
      return { ...base, severity: "info", message: `An existing ${noun} will be brought under this product.` };
    case "REMOVE":
      return kind.loss
        ? { ...base, severity: data ? "danger" : "warning", message: `The ${noun} will be deleted: ${kind.loss}.` }
        : { ...base, severity: "warning", message: `The ${noun} will be deleted.` };
    case "MODIFY":
      if (change.replacement === "TRUE") {
        return kind.loss
          ? { ...base, severity: data ? "danger" : "warning", message: `The ${noun} will be ${kind.replacedAs}: ${kind.loss}.` }
          : { ...base, severity: "warning", message: `The ${noun} will be ${kind.replacedAs}.` };
      }
      if (change.replacement === "CONDITIONAL") {
        return {
          ...base,
          severity: "warning",
          message: kind.loss
            ? `The ${noun} may be ${kind.replacedAs}: if it is, ${kind.loss}.`
            : `The ${noun} may be ${kind.replacedAs}.`,
        };
      }
      return { ...base, severity: "info", message: `The ${noun} will be changed in place.` };
    default:
      return { ...base, severity: "info", message: `The ${noun} will change (${change.action.toLowerCase()}).` };
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const SEVERITY_ORDER: Record<PlanSeverity, number> = { danger: 0, warning: 1, info: 2 };

/** Every change described, most serious first (the plan's order within a severity). */
export function assessPlan(changes: readonly PlanResourceChange[]): PlanWarning[] {
  return changes
    .map(describeResourceChange)
    .map((w, i) => ({ w, i }))
    .sort((a, b) => SEVERITY_ORDER[a.w.severity] - SEVERITY_ORDER[b.w.severity] || a.i - b.i)
    .map(({ w }) => w);
}

/** The sentences to show before applying: dangers and warnings only, each once. */
export function planWarnings(changes: readonly PlanResourceChange[]): string[] {
  return [...new Set(assessPlan(changes).filter((w) => w.severity !== "info").map((w) => w.message))];
}

/** Whether applying the plan destroys data: the confirm button should say so. */
export function planLosesData(changes: readonly PlanResourceChange[]): boolean {
  return assessPlan(changes).some((w) => w.severity === "danger");
}

export type TerminationConsequences = { lost: string[]; kept: string[] };

/**
 * For the terminate dialog: what goes and what stays, from the resource types the product
 * created. `retainsBuckets`: the template keeps its buckets (DeletionPolicy: Retain).
 */
export function terminationConsequences(
  resourceTypes: readonly string[],
  options: { retainsBuckets: boolean },
): TerminationConsequences {
  const lost: string[] = [];
  const kept: string[] = [];
  const counts = new Map<string, number>();
  for (const type of resourceTypes) counts.set(type, (counts.get(type) ?? 0) + 1);

  const others: string[] = [];
  let otherCount = 0;
  for (const [type, count] of counts) {
    if (type === "AWS::S3::Bucket" && options.retainsBuckets) {
      kept.push(
        count === 1
          ? "The bucket and its objects: the product keeps it in the account, but you will no longer manage it here."
          : `The ${count} buckets and their objects: the product keeps them in the account, but you will no longer manage them here.`,
      );
      continue;
    }
    const lostLine = KINDS[type]?.lostOnTerminate?.(count);
    if (lostLine) {
      lost.push(lostLine);
    } else {
      otherCount += count;
      const kind = kindOf(type);
      others.push(count === 1 ? kind.noun : kind.plural);
    }
  }
  if (otherCount > 0) {
    const shown = others.slice(0, 3).join(", ") + (others.length > 3 ? ", …" : "");
    lost.push(
      lost.length === 0
        ? `Everything the product created (${shown}).`
        : `${otherCount === 1 ? "One other resource" : `${otherCount} other resources`} it created (${shown}).`,
    );
  }
  if (resourceTypes.length === 0) lost.push("Everything the product created in AWS.");
  kept.push("Its record in the portal, with its parameters and history (shown as Terminated).");
  return { lost, kept };
}

/**
 * The changes a transfer must not make without an admin's say-so: a resource replaced (or that
 * may be) or removed, each named with what causes it.
 */
export function replacementWarnings(changes: readonly PlanResourceChange[]): string[] {
  return changes
    .filter((c) => c.action === "REMOVE" || (c.action === "MODIFY" && (c.replacement === "TRUE" || c.replacement === "CONDITIONAL")))
    .map((c) => {
      const w = describeResourceChange(c);
      return `${c.logicalResourceId} (${c.resourceType}): ${w.message}${w.causes.length ? ` Caused by: ${w.causes.join(", ")}.` : ""}`;
    });
}
