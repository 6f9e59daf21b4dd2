-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('PENDING', 'UNDER_CHANGE', 'AVAILABLE', 'TAINTED', 'ERROR', 'TERMINATED');

-- CreateTable
CREATE TABLE "provisioned_products" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "aws_provisioned_product_id" TEXT,
    "product_id" TEXT NOT NULL,
    "product_name" TEXT NOT NULL,
    "provisioning_artifact_id" TEXT NOT NULL,
    "provisioning_artifact_name" TEXT NOT NULL,
    "path_id" TEXT,
    "status" "ProductStatus" NOT NULL DEFAULT 'PENDING',
    "status_message" TEXT,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "tags" JSONB NOT NULL DEFAULT '[]',
    "outputs" JSONB NOT NULL DEFAULT '[]',
    "provision_token" TEXT NOT NULL,
    "last_record_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "terminated_at" TIMESTAMP(3),

    CONSTRAINT "provisioned_products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provisioning_records" (
    "id" UUID NOT NULL,
    "provisioned_product_id" UUID NOT NULL,
    "record_id" TEXT,
    "record_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "request" JSONB NOT NULL DEFAULT '{}',
    "requested_by_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "provisioning_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "provisioned_products_aws_provisioned_product_id_key" ON "provisioned_products"("aws_provisioned_product_id");

-- CreateIndex
CREATE UNIQUE INDEX "provisioned_products_provision_token_key" ON "provisioned_products"("provision_token");

-- CreateIndex
CREATE INDEX "provisioned_products_owner_id_created_at_idx" ON "provisioned_products"("owner_id", "created_at");

-- CreateIndex
CREATE INDEX "provisioned_products_status_idx" ON "provisioned_products"("status");

-- CreateIndex
CREATE INDEX "provisioned_products_name_idx" ON "provisioned_products"("name");

-- CreateIndex
CREATE UNIQUE INDEX "provisioning_records_record_id_key" ON "provisioning_records"("record_id");

-- CreateIndex
CREATE INDEX "provisioning_records_provisioned_product_id_created_at_idx" ON "provisioning_records"("provisioned_product_id", "created_at");

-- CreateIndex
CREATE INDEX "provisioning_records_status_idx" ON "provisioning_records"("status");

-- AddForeignKey
ALTER TABLE "provisioned_products" ADD CONSTRAINT "provisioned_products_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provisioning_records" ADD CONSTRAINT "provisioning_records_provisioned_product_id_fkey" FOREIGN KEY ("provisioned_product_id") REFERENCES "provisioned_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provisioning_records" ADD CONSTRAINT "provisioning_records_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Hand-written: a name may be reused once the product holding it is terminated (as in AWS),
-- but two live products may never share one, even when two launches race.
CREATE UNIQUE INDEX "provisioned_products_live_name_key" ON "provisioned_products"("name") WHERE "status" <> 'TERMINATED';
