import { withUser } from "@/lib/api/with-user";
import { auditPageQuery } from "@/lib/api/schemas";
import { listAuditEvents } from "@/lib/services/audit-log";

/** One page of the audit log, newest first, with the cursors of the pages around it. */
export const GET = withUser(async ({ query }) => listAuditEvents(query), { permission: "audit:read", query: auditPageQuery });
