-- DropIndex
DROP INDEX "provisioned_products_owner_id_created_at_idx";

-- CreateIndex
CREATE INDEX "provisioned_products_owner_id_created_at_id_idx" ON "provisioned_products"("owner_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "provisioned_products_owner_id_updated_at_id_idx" ON "provisioned_products"("owner_id", "updated_at", "id");

-- CreateIndex
CREATE INDEX "provisioned_products_owner_id_name_id_idx" ON "provisioned_products"("owner_id", "name", "id");

-- CreateIndex
CREATE INDEX "provisioned_products_owner_id_status_updated_at_idx" ON "provisioned_products"("owner_id", "status", "updated_at");

