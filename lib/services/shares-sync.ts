import "server-only";
import { env } from "@/lib/env";
import { sharedListOf } from "@/lib/domain/sharing";
import type { Prisma } from "@/generated/prisma/client";

/**
 * Brings product_shares in line with the product's sharing parameter as AWS now applies it (after
 * a launch or update succeeded; nothing once terminated). Runs inside the caller's transaction, the
 * one that claimed the record's outcome, so it happens once and agrees with the product's row.
 * Principals that stay keep their `since`.
 */
export async function syncShares(tx: Prisma.TransactionClient, productId: string, parameters: Prisma.JsonValue | undefined, live: boolean): Promise<void> {
  const key = env().SHARING_PARAMETER.toLowerCase();
  const values = (parameters ?? {}) as Record<string, string | string[]>;
  const entry = Object.entries(values).find(([k]) => k.toLowerCase() === key);
  const principals = live && entry ? [...new Set(sharedListOf(entry[1]))] : [];
  await tx.productShare.deleteMany({ where: { provisionedProductId: productId, principalArn: { notIn: principals } } });
  if (principals.length > 0) {
    await tx.productShare.createMany({ data: principals.map((principalArn) => ({ provisionedProductId: productId, principalArn })), skipDuplicates: true });
  }
}
