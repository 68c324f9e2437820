// Tamper evidence: the public signing keys the service has used, and the signed, chained Merkle digests over each agency's log (append-only).
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // 1. Public keys (never private ones), so that what an earlier key signed still verifies after a rotation.
  //    A few rows for the whole service: like projection_leases, a reference table, not keyed by agency.
  await sql`
    CREATE TABLE signing_keys (
      key_id text PRIMARY KEY,
      algorithm text NOT NULL,
      public_key_pem text NOT NULL,
      first_used_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT signing_keys_algorithm CHECK (algorithm = 'Ed25519')
    )`.execute(db)

  // 2. Digests: each seals positions first..last of one agency with the Merkle root of their event hashes,
  //    chains to the digest before it (previous_digest_hash) and is signed. seq and first_position are both
  //    unique, so of two sealers racing from the same previous digest one insert loses (and does nothing).
  await sql`
    CREATE TABLE audit_digests (
      agency_id text NOT NULL,
      seq bigint NOT NULL,
      first_position bigint NOT NULL,
      last_position bigint NOT NULL,
      event_count bigint NOT NULL,
      first_event_hash bytea NOT NULL,
      last_event_hash bytea NOT NULL,
      merkle_root bytea NOT NULL,
      previous_digest_hash bytea NOT NULL,
      digest_hash bytea NOT NULL,
      key_id text NOT NULL,
      signature bytea NOT NULL,
      created_at timestamptz NOT NULL,
      CONSTRAINT audit_digests_pkey PRIMARY KEY (agency_id, seq),
      CONSTRAINT audit_digests_first_position_key UNIQUE (agency_id, first_position),
      CONSTRAINT audit_digests_seq_positive CHECK (seq > 0),
      CONSTRAINT audit_digests_range CHECK (first_position > 0 AND last_position >= first_position)
    )`.execute(db)

  // 3. Append-only, as the log is: a trigger (the verifier still checks everything, for a superuser can drop it).
  await sql`
    CREATE FUNCTION audit_evidence_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'EV002';
    END $$`.execute(db)
  for (const table of ['audit_digests', 'signing_keys']) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_append_only_row`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION audit_evidence_reject_change()`.execute(db)
    await sql`CREATE TRIGGER ${sql.id(`${table}_append_only_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION audit_evidence_reject_change()`.execute(db)
  }

  // 4. The runtime role reads and inserts only (default privileges from 0002 would also grant UPDATE and DELETE).
  await sql`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cs_app') THEN
        GRANT SELECT, INSERT ON audit_digests, signing_keys TO cs_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_digests, signing_keys FROM cs_app;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'grants to cs_app not changed: %', SQLERRM;
    END $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS audit_digests`.execute(db)
  await sql`DROP TABLE IF EXISTS signing_keys`.execute(db)
  await sql`DROP FUNCTION IF EXISTS audit_evidence_reject_change()`.execute(db)
}
