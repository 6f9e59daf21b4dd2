-- Hand-written: a launch AWS refused (status ERROR, never created in AWS, so no AWS id) no longer
-- holds its name: the person can correct what AWS refused and launch under the same name, while
-- the failed attempt stays in their history. Any product AWS may know still holds its name.
DROP INDEX "provisioned_products_live_name_key";
CREATE UNIQUE INDEX "provisioned_products_live_name_key" ON "provisioned_products"(lower("name")) WHERE "status" <> 'TERMINATED' AND NOT ("status" = 'ERROR' AND "aws_provisioned_product_id" IS NULL);
