import "server-only";
import { db } from "@/lib/db";
import { asUser, sc, type AccountProduct } from "@/lib/aws/service-catalog";
import { SYSTEM_IDENTITY } from "@/lib/aws/sessions";
import { getProvisioningForm } from "@/lib/services/catalog";
import { submitProvision } from "@/lib/services/provisioning";
import { recordAudit } from "@/lib/services/audit";
import { enqueueTracking } from "@/lib/jobs/boss";
import { logger } from "@/lib/logger";
import { FINAL_RECORD_STATUSES, isFinalRecordStatus } from "@/lib/domain/status";

export type ReconcileReport = {
  scanned: number;
  markedTerminated: number;
  statusRepaired: number;
  pendingAttached: number;
  pendingResubmitted: number;
  trackingRequeued: number;
  /** Launches not found in AWS but too young to be re-sent: another instance may still be sending them. */
  pendingWaiting: number;
  /** When the youngest of those may be re-sent: the next reconciliation is due then. */
  nextPendingDueAt?: Date;
};

/**
 * How long a launch that AWS does not know of is left to the request that wrote it: that request
 * may still be on its way (in another live instance, in the SDK's retries). Re-sending it is safe
 * for AWS (same token, deduplicated) but not for the person: a request that finally gives up
 * tells them nothing was launched. So only older rows are re-sent, or given up as ERROR.
 * Attaching a row to the product AWS holds under its token needs no wait: it is always right,
 * and the request that is still running writes only while the row has no AWS id.
 */
const PENDING_GRACE_MS = 30_000;
/** The status message of a launch a reconciliation is sending again (and its claim on the row). */
const RESENDING = "The launch did not reach AWS; the portal is sending it again.";

async function listAccount(): Promise<Map<string, AccountProduct>> {
  return asUser(
    SYSTEM_IDENTITY,
    "Reconciling with AWS",
    async (client) => new Map((await sc.searchAccount(client)).map((p): [string, AccountProduct] => [p.id, p])),
    "admin",
  );
}

/**
 * The account's list comes from AWS's search index, which may lag behind a change by a moment;
 * before a row is changed on its word (gone, or in another state), AWS is asked about that one
 * product directly. Drift is rare, so this costs a call now and then, not one per product.
 */
async function confirmInAws(id: string): Promise<AccountProduct | null> {
  return asUser(SYSTEM_IDENTITY, "Reconciling with AWS", (client) => sc.describeProvisionedProduct(client, id), "admin");
}

const differs = (aws: AccountProduct, row: { status: string; lastRecordId: string | null }) => {
  const mapped = aws.status === "PLAN_IN_PROGRESS" ? row.status : aws.status;
  return mapped !== row.status || Boolean(aws.lastRecordId && aws.lastRecordId !== row.lastRecordId);
};

/**
 * Compares the database with Service Catalog and repairs drift: products terminated or changed
 * outside the portal, launches whose ProvisionProduct call never returned, records nobody tracks.
 */
export async function reconcile(now = new Date()): Promise<ReconcileReport> {
  const report: ReconcileReport = { scanned: 0, markedTerminated: 0, statusRepaired: 0, pendingAttached: 0, pendingResubmitted: 0, trackingRequeued: 0, pendingWaiting: 0 };
  const listStartedAt = new Date();
  const inAws = await listAccount();
  report.scanned = inAws.size;
  // A row's launch is recognised by its ProvisionToken, not its name: a product with the same name
  // may be someone else's (made outside the portal), and attaching it would hand it to this row.
  const byToken = new Map([...inAws.values()].filter((p) => p.token).map((p) => [p.token!, p]));

  // What the comparison reads of every live product: its own columns and its unfinished records
  // (a finished one decides nothing here). The launch's first record, the owner and the launch's
  // parameters are read only for the rare row that never got its AWS id. (Every product with its
  // owner and all its records was 2.2 s and 320 MB a run at 20,000 products with 60,000 records.)
  const live = await db.provisionedProduct.findMany({
    where: { status: { not: "TERMINATED" } },
    select: {
      id: true,
      awsProvisionedProductId: true,
      provisionToken: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      lastRecordId: true,
      records: {
        where: { status: { notIn: [...FINAL_RECORD_STATUSES] } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, recordId: true, status: true, recordType: true, createdAt: true },
      },
    },
  });
  const firstRecordOf = (productId: string) => db.provisioningRecord.findFirst({ where: { provisionedProductId: productId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  for (const row of live) {
    try {
      if (!row.awsProvisionedProductId) {
        const found = byToken.get(row.provisionToken);
        if (found) {
          // The call reached AWS but its answer was lost (or is still on its way): attach what AWS
          // has, unless the request got there first.
          const attached = await db.provisionedProduct.updateMany({
            where: { id: row.id, awsProvisionedProductId: null },
            data: { awsProvisionedProductId: found.id, lastRecordId: found.lastRecordId ?? null, status: found.status === "AVAILABLE" ? "AVAILABLE" : "UNDER_CHANGE", statusMessage: null },
          });
          if (attached.count === 0) continue;
          const firstRecord = found.lastRecordId ? await firstRecordOf(row.id) : null;
          if (firstRecord && found.lastRecordId) {
            await db.provisioningRecord.updateMany({ where: { id: firstRecord.id, recordId: null }, data: { recordId: found.lastRecordId, status: "IN_PROGRESS" } });
            await enqueueTracking(firstRecord.id);
          }
          report.pendingAttached++;
        } else if (row.status === "PENDING") {
          const dueAt = new Date(row.createdAt.getTime() + PENDING_GRACE_MS);
          if (now < dueAt) {
            report.pendingWaiting++;
            if (!report.nextPendingDueAt || dueAt < report.nextPendingDueAt) report.nextPendingDueAt = dueAt;
            continue;
          }
          // Claim the row, so that a reconciliation running at the same time (here or in another
          // instance) does not send it or give it up a second time: only a row no other run has
          // claimed in the last PENDING_GRACE_MS. (A compare-and-set on the row's last change was
          // not enough: a run that read the row after this claim saw the claim's own timestamp.)
          // A claim whose run died lapses after that time, and the next run sends it.
          const claimed = await db.provisionedProduct.updateMany({
            where: {
              id: row.id,
              status: "PENDING",
              awsProvisionedProductId: null,
              OR: [{ statusMessage: null }, { statusMessage: { not: RESENDING } }, { updatedAt: { lt: new Date(now.getTime() - PENDING_GRACE_MS) } }],
            },
            data: { statusMessage: RESENDING, updatedAt: new Date() },
          });
          if (claimed.count === 0) continue;
          // Never reached AWS: send it again with the same token (AWS dedupes on it).
          const [full, firstRecord] = await Promise.all([db.provisionedProduct.findUniqueOrThrow({ where: { id: row.id }, include: { owner: true } }), firstRecordOf(row.id)]);
          const form = await getProvisioningForm(full.owner, { productId: full.productId, artifactId: full.provisioningArtifactId, ...(full.pathId ? { pathId: full.pathId } : {}) });
          if (form.parameters.some((p) => p.noEcho)) {
            // The portal never stores secret (NoEcho) values, so it cannot send this launch again.
            await db.provisionedProduct.update({
              where: { id: row.id },
              data: { status: "ERROR", statusMessage: "The launch did not reach AWS and includes a secret value the portal does not keep. Remove it and launch again." },
            });
            continue;
          }
          const request = (firstRecord?.request as { parameters?: Record<string, string | string[]> } | undefined)?.parameters ?? (full.parameters as Record<string, string | string[]>);
          await submitProvision({ user: full.owner, requestId: "reconcile" }, full, { parameters: request }, form);
          report.pendingResubmitted++;
        }
        continue;
      }
      // An update or termination the portal just sent, whose answer is not written down yet: what
      // AWS shows now is the portal's own change, not drift. Leave the row to that request.
      const answerPending = row.records.some((r) => !r.recordId && r.status === "CREATED" && now.getTime() - r.createdAt.getTime() < PENDING_GRACE_MS);
      if (answerPending) continue;
      const listed = inAws.get(row.awsProvisionedProductId);
      // Missing from the list: gone, or not in the index yet. AWS says which.
      const aws = listed ?? (await confirmInAws(row.awsProvisionedProductId));
      // The list shows AWS as it was when it began: a row written since (a launch that has just got
      // its AWS id, a status tracking has just moved on) cannot be judged by it. The next run will.
      const changedSinceList = row.updatedAt >= listStartedAt;
      if (!aws) {
        // The portal's own termination, finished in AWS but not tracked yet: tracking records it.
        const terminating = row.records.find((r) => r.recordType === "TERMINATE_PROVISIONED_PRODUCT" && r.recordId && !isFinalRecordStatus(r.status));
        if (terminating) {
          await enqueueTracking(terminating.id);
          report.trackingRequeued++;
          continue;
        }
        if (changedSinceList) continue;
        // Compare-and-set: a reconciliation running at the same time records it once.
        const marked = await db.provisionedProduct.updateMany({
          where: { id: row.id, status: { not: "TERMINATED" }, updatedAt: row.updatedAt },
          data: { status: "TERMINATED", terminatedAt: now, statusMessage: "No longer exists in AWS (terminated outside the portal)." },
        });
        if (marked.count === 0) continue;
        await recordAudit({ actor: null, action: "reconcile.terminated-outside", target: { type: "provisioned-product", id: row.id }, outcome: "SUCCESS" });
        report.markedTerminated++;
        continue;
      }
      const open = row.records.find((r) => !isFinalRecordStatus(r.status) && r.recordId);
      if (open) {
        await enqueueTracking(open.id);
        report.trackingRequeued++;
        continue;
      }
      if (changedSinceList) continue;
      if (differs(aws, row)) {
        // In another state on the list: changed outside the portal, or the list is behind. AWS says which.
        const current = aws === listed ? await confirmInAws(row.awsProvisionedProductId) : aws;
        if (!current || !differs(current, row)) continue;
        const mapped = (current.status === "PLAN_IN_PROGRESS" ? row.status : current.status) as "AVAILABLE" | "UNDER_CHANGE" | "TAINTED" | "ERROR";
        // Changed outside the portal: adopt AWS's view and follow its latest record.
        await db.provisionedProduct.update({ where: { id: row.id }, data: { status: mapped, lastRecordId: current.lastRecordId ?? row.lastRecordId } });
        if (current.lastRecordId && current.lastRecordId !== row.lastRecordId) {
          const exists = await db.provisioningRecord.findUnique({ where: { recordId: current.lastRecordId } });
          const adopted = exists ?? (await db.provisioningRecord.create({ data: { provisionedProductId: row.id, recordId: current.lastRecordId, recordType: "UPDATE_PROVISIONED_PRODUCT", status: "IN_PROGRESS", request: { source: "outside the portal" } } }));
          await enqueueTracking(adopted.id);
        }
        report.statusRepaired++;
      }
    } catch (err) {
      logger.warn({ err, productId: row.id }, "reconciliation of one product failed; will retry next run");
    }
  }
  return report;
}
