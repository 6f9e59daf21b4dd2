-- AlterTable
ALTER TABLE "provisioned_products" ADD COLUMN     "owner_department" TEXT,
ADD COLUMN     "owner_project" TEXT;

-- CreateIndex
CREATE INDEX "provisioned_products_owner_department_created_at_id_status_idx" ON "provisioned_products"("owner_department", "created_at", "id", "status");

-- CreateIndex
CREATE INDEX "provisioned_products_owner_project_created_at_id_status_idx" ON "provisioned_products"("owner_project", "created_at", "id", "status");

-- Hand-written (Prisma's schema cannot say it): the copies of the owner's department and project
-- follow the users table. A product written (launched, given to another owner, or its copies set
-- by hand) takes its owner's as they are; a person whose department or project changes (at sign-in,
-- from the identity provider's claims) carries their products along in the same transaction.
CREATE FUNCTION "provisioned_products_take_owner_attributes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "department", "project" INTO NEW."owner_department", NEW."owner_project" FROM "users" WHERE "id" = NEW."owner_id";
  RETURN NEW;
END
$$;

CREATE TRIGGER "provisioned_products_owner_attributes"
BEFORE INSERT OR UPDATE OF "owner_id", "owner_department", "owner_project" ON "provisioned_products"
FOR EACH ROW EXECUTE FUNCTION "provisioned_products_take_owner_attributes"();

CREATE FUNCTION "users_give_products_attributes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "provisioned_products" SET "owner_department" = NEW."department", "owner_project" = NEW."project" WHERE "owner_id" = NEW."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "users_products_attributes"
AFTER UPDATE OF "department", "project" ON "users"
FOR EACH ROW WHEN (OLD."department" IS DISTINCT FROM NEW."department" OR OLD."project" IS DISTINCT FROM NEW."project")
EXECUTE FUNCTION "users_give_products_attributes"();

-- The products there already.
UPDATE "provisioned_products" p SET "owner_department" = u."department", "owner_project" = u."project" FROM "users" u WHERE u."id" = p."owner_id";
