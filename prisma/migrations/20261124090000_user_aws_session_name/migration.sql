-- AlterTable
ALTER TABLE "users" ADD COLUMN     "aws_session_name" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "users_aws_session_name_key" ON "users"("aws_session_name");


-- Hand-written: every existing user gets the name their AWS sessions carry, by the rule of
-- lib/domain/session-name.ts (awsSessionNameFromEmail). Stored emails are already normalised
-- (trimmed and lower-cased when the login is read), so the stored text is what is hashed. An
-- email that fits STS's rule (2..64 of [A-Za-z0-9_+=,.@-]) is kept as it is; any other has each
-- other character replaced by "_", is cut to 43 characters and gets "-" and the first 20 hex
-- digits of the SHA-256 of its UTF-8 bytes. Should two existing users derive the same name, the
-- older one keeps it; the other's next login is refused and logged for the administrator.
UPDATE "users" AS u
SET "aws_session_name" = d."name"
FROM (
    SELECT "id", "name", row_number() OVER (PARTITION BY "name" ORDER BY "created_at", "id") AS "rank"
    FROM (
        SELECT "id", "created_at",
            CASE
                WHEN "email" ~ '^[A-Za-z0-9_+=,.@-]{2,64}$' THEN "email"
                ELSE left(regexp_replace("email", '[^A-Za-z0-9_+=,.@-]', '_', 'g'), 43)
                    || '-' || left(encode(sha256(convert_to("email", 'UTF8')), 'hex'), 20)
            END AS "name"
        FROM "users"
    ) AS derived
) AS d
WHERE u."id" = d."id" AND d."rank" = 1;
