/**
 * The status model of provisioned products and their records, and how each status reads to a
 * researcher.
 *
 * A product's status is Service Catalog's, plus two the portal needs: PENDING (the row is written
 * but AWS has not yet confirmed the call; reconciliation settles it if the process died) and
 * TERMINATED (AWS forgets terminated products; the portal keeps the row for history).
 * Functions take plain strings because statuses arrive from the database and from AWS; an
 * unknown status is never treated as safe to change.
 */

export const AWS_PRODUCT_STATUSES = ["AVAILABLE", "UNDER_CHANGE", "TAINTED", "ERROR", "PLAN_IN_PROGRESS"] as const;
export const PORTAL_PRODUCT_STATUSES = ["PENDING", "TERMINATED"] as const;
export const PRODUCT_STATUSES = [...AWS_PRODUCT_STATUSES, ...PORTAL_PRODUCT_STATUSES] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const RECORD_STATUSES = ["CREATED", "IN_PROGRESS", "IN_PROGRESS_IN_ERROR", "SUCCEEDED", "FAILED"] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const RECORD_TYPES = ["PROVISION_PRODUCT", "UPDATE_PROVISIONED_PRODUCT", "TERMINATE_PROVISIONED_PRODUCT", "UPDATE_PROVISIONED_PRODUCT_PROPERTIES"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export function isProductStatus(status: string): status is ProductStatus {
  return (PRODUCT_STATUSES as readonly string[]).includes(status);
}

export function isRecordStatus(status: string): status is RecordStatus {
  return (RECORD_STATUSES as readonly string[]).includes(status);
}

export function isRecordType(type: string): type is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(type);
}

export const FINAL_RECORD_STATUSES = ["SUCCEEDED", "FAILED"] as const satisfies readonly RecordStatus[];

/**
 * A record is done once it SUCCEEDED or FAILED. IN_PROGRESS_IN_ERROR is not final: CloudFormation
 * is still rolling back, and the product's state is not settled until it ends.
 */
export function isFinalRecordStatus(status: string): boolean {
  return (FINAL_RECORD_STATUSES as readonly string[]).includes(status);
}

const BUSY: readonly string[] = ["UNDER_CHANGE", "PLAN_IN_PROGRESS", "PENDING"];

/** Something is happening to the product: updates and termination are refused until it ends. */
export function isBusy(status: string): boolean {
  return BUSY.includes(status);
}

/** Same as `isBusy`; the name reads better next to other predicates in services. */
export const isBusyStatus = isBusy;

/** Nothing will change by itself any more: polling can stop. */
export function isSettledProductStatus(status: string): boolean {
  return isProductStatus(status) && !isBusy(status);
}

/**
 * Update and terminate are allowed from the stable states. TAINTED (a failed update rolled back)
 * and ERROR are included: an update or a termination is how a researcher gets out of them.
 */
const CHANGEABLE: readonly string[] = ["AVAILABLE", "TAINTED", "ERROR"];

export function canUpdate(status: string): boolean {
  return CHANGEABLE.includes(status);
}

export function canTerminate(status: string): boolean {
  return CHANGEABLE.includes(status);
}

export type StatusTone = "success" | "progress" | "danger" | "warning" | "neutral";
export type StatusBadge = { label: string; tone: StatusTone; description: string };

const BADGES: Record<ProductStatus | RecordStatus, StatusBadge> = {
  AVAILABLE: { label: "Available", tone: "success", description: "Ready to use." },
  UNDER_CHANGE: { label: "Working…", tone: "progress", description: "AWS is creating, changing or removing it." },
  PLAN_IN_PROGRESS: { label: "Preparing…", tone: "progress", description: "AWS is working out what a change would do." },
  PENDING: { label: "Starting…", tone: "progress", description: "The request is on its way to AWS." },
  TAINTED: {
    label: "Needs attention",
    tone: "warning",
    description: "The last change failed and AWS undid it: the previous version still runs, as it was. You can try the change again.",
  },
  ERROR: { label: "Failed", tone: "danger", description: "Something went wrong; the reason is shown with it and in its history." },
  TERMINATED: { label: "Terminated", tone: "neutral", description: "It has been removed. It is kept here for your records." },
  CREATED: { label: "Queued", tone: "progress", description: "AWS has accepted the request and will start soon." },
  IN_PROGRESS: { label: "Working…", tone: "progress", description: "AWS is carrying out the request." },
  IN_PROGRESS_IN_ERROR: { label: "Undoing…", tone: "warning", description: "The request failed and AWS is undoing it." },
  SUCCEEDED: { label: "Succeeded", tone: "success", description: "Done." },
  FAILED: { label: "Failed", tone: "danger", description: "The request did not complete. See the errors for the reason." },
};

/** How a product or record status is shown: a short plain label, a tone for its colour, a sentence. */
export function statusBadge(status: string): StatusBadge {
  if (isProductStatus(status) || isRecordStatus(status)) return { ...BADGES[status] };
  const label = status
    .toLowerCase()
    .split("_")
    .filter(Boolean)
    .join(" ");
  return { label: label ? label.charAt(0).toUpperCase() + label.slice(1) : "Unknown", tone: "neutral", description: "" };
}

/**
 * The product's status implied by one of its records (null: the record does not change it):
 * under change while the record runs; once final, what Service Catalog itself reports (a failed update leaves the product TAINTED, rolled
 * back to its previous state; a failed launch or termination leaves it in ERROR).
 */
export function productStatusAfterRecord(recordType: RecordType, recordStatus: RecordStatus): ProductStatus | null {
  // A change of properties (the owner) leaves the product's resources, and so its status, alone.
  if (recordType === "UPDATE_PROVISIONED_PRODUCT_PROPERTIES") return null;
  if (!isFinalRecordStatus(recordStatus)) return "UNDER_CHANGE";
  const succeeded = recordStatus === "SUCCEEDED";
  switch (recordType) {
    case "PROVISION_PRODUCT":
      return succeeded ? "AVAILABLE" : "ERROR";
    case "UPDATE_PROVISIONED_PRODUCT":
      return succeeded ? "AVAILABLE" : "TAINTED";
    case "TERMINATE_PROVISIONED_PRODUCT":
      return succeeded ? "TERMINATED" : "ERROR";
  }
}

/**
 * What the product says once a record has ended. A failed launch or termination says what AWS
 * said, word for word. A failed update says first what matters to the person: AWS rolled it back,
 * so the version (and settings) they had before still run; then AWS's reason.
 */
export function statusMessageAfterRecord(recordType: RecordType, recordStatus: RecordStatus, awsErrors: string[], currentVersionName: string): string | null {
  const reason = awsErrors.filter(Boolean).join("; ");
  if (recordStatus !== "FAILED") return reason || null;
  if (recordType === "UPDATE_PROVISIONED_PRODUCT") {
    return `The update failed and AWS rolled it back: the previous version (${currentVersionName}) still runs, with its previous settings. AWS's reason: ${(reason || "none given").replace(/[.\s]+$/, "")}.`;
  }
  return reason || "AWS reported a failure without a reason.";
}

/**
 * The status to store for a record from the answer to the call that made it. A final status is
 * stored as IN_PROGRESS: an idempotent replay (a retry, a request re-sent after a restart) can
 * answer with a record that has already ended, and only tracking applies what its end means
 * (the product's status, an update's new values), so tracking must be the one to see it end.
 */
export function recordStatusFromAnswer(status: string | null | undefined): RecordStatus {
  if (status === undefined || status === null || !isRecordStatus(status)) return "CREATED";
  return isFinalRecordStatus(status) ? "IN_PROGRESS" : status;
}

/**
 * What to tell someone watching a product when it settles: nothing unless it was in progress
 * (`before`) and no longer is; then its name and new status, good news or bad, with AWS's message.
 * The same words on My products and on the product's page.
 */
export function settledNotice(
  before: string | undefined,
  product: { name: string; status: string; statusMessage: string | null },
): { tone: "success" | "error"; title: string; description?: string } | null {
  if (!before || isSettledProductStatus(before) || !isSettledProductStatus(product.status)) return null;
  const ok = product.status === "AVAILABLE" || product.status === "TERMINATED";
  return { tone: ok ? "success" : "error", title: `${product.name}: ${statusBadge(product.status).label}`, ...(product.statusMessage ? { description: product.statusMessage } : {}) };
}
