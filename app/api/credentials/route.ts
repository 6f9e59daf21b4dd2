import { withUser } from "@/lib/api/with-user";
import { processCredentialsFor } from "@/lib/services/access-tokens";

/**
 * The AWS CLI's credential_process: the token owner's own end-user STS session, in the format
 * the CLI reads. Bearer token only (no cookie); never cached anywhere.
 */
export const GET = withUser(
  async ({ user }) => Response.json(await processCredentialsFor(user), { headers: { "cache-control": "no-store" } }),
  { permission: "credentials:read", auth: "bearer" },
);
