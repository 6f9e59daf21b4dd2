-- CreateEnum
CREATE TYPE "TransferStatus" AS ENUM ('RUNNING', 'NEEDS_CONFIRMATION', 'FAILED', 'SUCCEEDED', 'ROLLED_BACK');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "deactivated_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "provisioning_records" ADD COLUMN     "sent_as_admin" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sent_by_id" UUID;

-- CreateTable
CREATE TABLE "ownership_transfers" (
    "id" UUID NOT NULL,
    "provisioned_product_id" UUID NOT NULL,
    "from_user_id" UUID NOT NULL,
    "to_user_id" UUID NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "rollback_of_id" UUID,
    "offboarding_id" UUID,
    "status" "TransferStatus" NOT NULL DEFAULT 'RUNNING',
    "step" INTEGER NOT NULL DEFAULT 1,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "failed_step" INTEGER,
    "failure_reason" TEXT,
    "accept_replacement" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "ownership_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offboardings" (
    "id" UUID NOT NULL,
    "from_user_id" UUID NOT NULL,
    "to_user_id" UUID NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "skipped" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offboardings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ownership_transfers_rollback_of_id_key" ON "ownership_transfers"("rollback_of_id");

-- CreateIndex
CREATE INDEX "ownership_transfers_provisioned_product_id_created_at_idx" ON "ownership_transfers"("provisioned_product_id", "created_at");

-- CreateIndex
CREATE INDEX "ownership_transfers_offboarding_id_idx" ON "ownership_transfers"("offboarding_id");

-- CreateIndex
CREATE INDEX "ownership_transfers_status_idx" ON "ownership_transfers"("status");

-- CreateIndex
CREATE INDEX "offboardings_from_user_id_created_at_idx" ON "offboardings"("from_user_id", "created_at");

-- AddForeignKey
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_provisioned_product_id_fkey" FOREIGN KEY ("provisioned_product_id") REFERENCES "provisioned_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_from_user_id_fkey" FOREIGN KEY ("from_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_to_user_id_fkey" FOREIGN KEY ("to_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_rollback_of_id_fkey" FOREIGN KEY ("rollback_of_id") REFERENCES "ownership_transfers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_offboarding_id_fkey" FOREIGN KEY ("offboarding_id") REFERENCES "offboardings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offboardings" ADD CONSTRAINT "offboardings_from_user_id_fkey" FOREIGN KEY ("from_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offboardings" ADD CONSTRAINT "offboardings_to_user_id_fkey" FOREIGN KEY ("to_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offboardings" ADD CONSTRAINT "offboardings_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provisioning_records" ADD CONSTRAINT "provisioning_records_sent_by_id_fkey" FOREIGN KEY ("sent_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Hand-written (a partial index is outside what Prisma's schema expresses): at most one transfer
-- holds a product at a time, so two admins transferring it at once cannot both start.
CREATE UNIQUE INDEX "ownership_transfers_active_key" ON "ownership_transfers"("provisioned_product_id") WHERE "status" IN ('RUNNING', 'NEEDS_CONFIRMATION', 'FAILED');
