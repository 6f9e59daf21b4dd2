-- CreateIndex
CREATE INDEX "provisioned_products_product_id_created_at_idx" ON "provisioned_products"("product_id", "created_at");
