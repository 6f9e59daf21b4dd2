-- Hand-written: names of live products are unique regardless of case, as the portal's name check
-- says ("Data" and "data" cannot both be live), so two racing launches cannot both get through.
DROP INDEX "provisioned_products_live_name_key";
CREATE UNIQUE INDEX "provisioned_products_live_name_key" ON "provisioned_products"(lower("name")) WHERE "status" <> 'TERMINATED';
