-- DropIndex
DROP INDEX "provisioned_products_product_id_idx";

-- CreateIndex
CREATE INDEX "provisioned_products_product_id_status_idx" ON "provisioned_products"("product_id", "status");
