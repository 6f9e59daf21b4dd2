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
