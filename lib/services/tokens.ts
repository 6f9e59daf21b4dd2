import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";

export type TokenPurpose = "provision" | "update" | "terminate" | "transfer-owner" | "transfer-update";

/**
 * Idempotency tokens for Service Catalog's write calls (1..128 of [a-zA-Z0-9_-]), derived from the
 * portal's row so that a retry, or a second run of a transfer step, reuses the same one and AWS
 * does the work once. They are an HMAC keyed by the portal's secret, not a plain hash of the row
 * id: people hold AWS credentials of their own (CLI access), and anyone who can predict the token
 * of a pending launch can send it first with parameters of their choosing, which AWS would then
 * return to the portal as the launch's result. A ProvisionToken is stored on its row, so a
 * rotated secret does not change a pending launch's token.
 */
export function idempotencyToken(rowId: string, purpose: TokenPurpose): string {
  const key = createHmac("sha256", env().AUTH_SECRET).update("quartermaster idempotency tokens v1").digest();
  return `${purpose}-${createHmac("sha256", key).update(`${purpose}:${rowId}`).digest("hex").slice(0, 40)}`;
}
