-- CreateIndex
CREATE INDEX "users_department_idx" ON "users"("department");

-- CreateIndex
CREATE INDEX "users_project_idx" ON "users"("project");

-- CreateIndex
CREATE INDEX "provisioned_products_product_id_idx" ON "provisioned_products"("product_id");

-- CreateIndex
CREATE INDEX "provisioned_products_created_at_id_idx" ON "provisioned_products"("created_at", "id");

-- CreateIndex
CREATE INDEX "provisioned_products_updated_at_id_idx" ON "provisioned_products"("updated_at", "id");


-- Hand-written (outside what Prisma's schema expresses): free text on product names, matched
-- anywhere with ILIKE, from a trigram index. pg_trgm is a trusted extension (PostgreSQL 13+):
-- the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "provisioned_products_name_trgm_idx" ON "provisioned_products" USING gin ("name" gin_trgm_ops);
