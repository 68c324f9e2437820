// The runtime role: the service's pool runs as it. It reads the log and appends only through append_events().
// Where the server does not let us create roles (managed databases), the owner's rights stay and the
// trigger alone keeps the log append-only. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cs_app') THEN
        BEGIN
          CREATE ROLE cs_app NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created by a concurrent migration
        END;
      END IF;
      EXECUTE format('GRANT cs_app TO %I', current_user);
      GRANT USAGE ON SCHEMA public TO cs_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cs_app;
      -- The log, its heads and the idempotency keys are written only through append_events() (SECURITY DEFINER).
      REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON events, agency_heads, idempotency_keys FROM cs_app;
      GRANT EXECUTE ON FUNCTION append_events(text, jsonb) TO cs_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cs_app;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cs_app role not created: %', SQLERRM;
    END $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cs_app') THEN
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM cs_app;
        REVOKE USAGE ON SCHEMA public FROM cs_app;
      END IF;
    END $$`.execute(db)
}
