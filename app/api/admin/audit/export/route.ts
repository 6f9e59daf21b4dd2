import { withUser } from "@/lib/api/with-user";
import { auditExportQuery } from "@/lib/api/schemas";
import { exportAuditLog } from "@/lib/services/audit-log";

/** Every event the filters select, as a CSV download streamed from the database in batches. */
export const GET = withUser(
  async ({ user, query, requestId }) => {
    const { filename, stream } = await exportAuditLog({ user, requestId }, query);
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
  { permission: "audit:read", query: auditExportQuery },
);
