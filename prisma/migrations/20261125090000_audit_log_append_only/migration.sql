-- DropIndex
DROP INDEX "audit_events_actor_id_created_at_idx";

-- DropIndex
DROP INDEX "audit_events_target_type_target_id_idx";

-- DropIndex
DROP INDEX "audit_events_created_at_idx";

-- CreateIndex
CREATE INDEX "audit_events_created_at_id_idx" ON "audit_events"("created_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_created_at_id_idx" ON "audit_events"("actor_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_actor_email_created_at_id_idx" ON "audit_events"("actor_email", "created_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_action_created_at_id_idx" ON "audit_events"("action", "created_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_outcome_created_at_id_idx" ON "audit_events"("outcome", "created_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_target_type_created_at_id_idx" ON "audit_events"("target_type", "created_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_target_type_target_id_created_at_id_idx" ON "audit_events"("target_type", "target_id", "created_at", "id");


-- Hand-written: the audit log is append-only for the application. Any UPDATE, DELETE or TRUNCATE
-- of audit_events is refused by the database itself, whoever connects and however the statement
-- was built (statement-level triggers: an UPDATE or DELETE that matches no row is refused too).
-- The foreign key's ON DELETE SET NULL is such an UPDATE, so deleting a user who has audit events
-- fails as well; users are never deleted. Only someone who may ALTER the table (drop or disable
-- the trigger) can change history; see the README section "Audit log".
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit events are never changed or removed; record a new event instead.';
END;
$$;

CREATE TRIGGER "audit_events_append_only"
    BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();

CREATE TRIGGER "audit_events_no_truncate"
    BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
