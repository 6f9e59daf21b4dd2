-- CreateTable
CREATE TABLE "product_shares" (
    "provisioned_product_id" UUID NOT NULL,
    "principal_arn" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_shares_pkey" PRIMARY KEY ("provisioned_product_id","principal_arn")
);

-- CreateIndex
CREATE INDEX "product_shares_principal_arn_idx" ON "product_shares"("principal_arn");

-- AddForeignKey
ALTER TABLE "product_shares" ADD CONSTRAINT "product_shares_provisioned_product_id_fkey" FOREIGN KEY ("provisioned_product_id") REFERENCES "provisioned_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: products launched before this table get their shares from the sharing parameter as
-- stored (SHARING_PARAMETER's default, S3UserARNs: a JSON list, or "a,b" text), since their last change.
INSERT INTO "product_shares" ("provisioned_product_id", "principal_arn", "since")
SELECT DISTINCT ON (p."id", btrim(a.value)) p."id", btrim(a.value), p."updated_at"
FROM "provisioned_products" p
CROSS JOIN LATERAL jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(p."parameters"->'S3UserARNs') = 'array' THEN p."parameters"->'S3UserARNs'
         ELSE to_jsonb(string_to_array(coalesce(p."parameters"->>'S3UserARNs', ''), ',')) END
) AS a(value)
WHERE p."status" <> 'TERMINATED' AND btrim(a.value) <> ''
ON CONFLICT DO NOTHING;
