// SIEM integrations: their secrets (encrypted; the key is not in the database) and two read models, the
// integrations (no secrets, only ids) and the alerts received. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE integration_secrets (
      agency_id text NOT NULL,
      integration_id text NOT NULL,
      secret_id text NOT NULL,
      ciphertext bytea NOT NULL,
      iv bytea NOT NULL,
      tag bytea NOT NULL,
      created_at timestamptz NOT NULL,
      retired_at timestamptz,
      PRIMARY KEY (agency_id, integration_id, secret_id)
    )`.execute(db)
  await sql`
    CREATE TABLE integrations (
      agency_id text NOT NULL,
      integration_id text NOT NULL,
      name text NOT NULL,
      format text NOT NULL,
      auth_mode text NOT NULL,
      default_severity text,
      severity_threshold text NOT NULL,
      secrets jsonb NOT NULL,
      disabled_at timestamptz,
      refused_count integer NOT NULL,
      created_at timestamptz NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (agency_id, integration_id)
    )`.execute(db)
  await sql`
    CREATE TABLE alerts (
      agency_id text NOT NULL,
      alert_id text NOT NULL,
      integration_id text NOT NULL,
      source text NOT NULL,
      external_id text NOT NULL,
      title text NOT NULL,
      severity text,
      asset text,
      rule text,
      link text,
      occurred_at timestamptz,
      resolved boolean NOT NULL,
      meets_threshold boolean NOT NULL,
      payload_sha256 text NOT NULL,
      deliveries integer NOT NULL,
      first_received_at timestamptz NOT NULL,
      last_received_at timestamptz NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (agency_id, alert_id)
    )`.execute(db)
  await sql`CREATE INDEX alerts_recent_idx ON alerts (agency_id, first_received_at DESC, alert_id)`.execute(db)
  await sql`CREATE INDEX alerts_integration_idx ON alerts (agency_id, integration_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS alerts`.execute(db)
  await sql`DROP TABLE IF EXISTS integrations`.execute(db)
  await sql`DROP TABLE IF EXISTS integration_secrets`.execute(db)
}
