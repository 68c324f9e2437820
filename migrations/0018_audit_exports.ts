// Audit-trail exports: the signed manifest of each export, stored when its last byte has been produced and
// fetched afterwards (GET /api/audit-trail/exports/:id/manifest). Evidence, so append-only like the log: a
// trigger rejects UPDATE, DELETE and TRUNCATE, and the runtime role may only read and insert.
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_exports (
      agency_id text NOT NULL,
      export_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      manifest jsonb NOT NULL,
      CONSTRAINT audit_exports_pkey PRIMARY KEY (agency_id, export_id)
    )`.execute(db)
  await sql`
    CREATE FUNCTION audit_exports_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_exports is append-only: % is not allowed', TG_OP USING ERRCODE = 'EV003';
    END $$`.execute(db)
  await sql`CREATE TRIGGER audit_exports_append_only_row BEFORE UPDATE OR DELETE ON audit_exports
    FOR EACH ROW EXECUTE FUNCTION audit_exports_reject_change()`.execute(db)
  await sql`CREATE TRIGGER audit_exports_append_only_truncate BEFORE TRUNCATE ON audit_exports
    FOR EACH STATEMENT EXECUTE FUNCTION audit_exports_reject_change()`.execute(db)
  await sql`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cs_app') THEN
        GRANT SELECT, INSERT ON audit_exports TO cs_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_exports FROM cs_app;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'grants to cs_app not changed: %', SQLERRM;
    END $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS audit_exports`.execute(db)
  await sql`DROP FUNCTION IF EXISTS audit_exports_reject_change()`.execute(db)
}
