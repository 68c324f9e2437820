// Alerts into incidents: each integration's correlation window, and the incident an alert fed; and the
// delivery ids (Standard Webhooks `webhook-id`) already answered, kept at least 24 h so a redelivery is
// answered without being recorded again.
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE integrations ADD COLUMN correlation_window_minutes integer NOT NULL DEFAULT 60`.execute(db)
  await sql`ALTER TABLE alerts ADD COLUMN incident_id text`.execute(db)
  await sql`CREATE INDEX alerts_incident_idx ON alerts (agency_id, incident_id, first_received_at) WHERE incident_id IS NOT NULL`.execute(db)
  await sql`CREATE INDEX alerts_external_idx ON alerts (agency_id, external_id)`.execute(db)
  await sql`
    CREATE TABLE webhook_receipts (
      agency_id text NOT NULL,
      integration_id text NOT NULL,
      delivery_key text NOT NULL,
      received_at timestamptz NOT NULL,
      answer jsonb,
      PRIMARY KEY (agency_id, integration_id, delivery_key)
    )`.execute(db)
  await sql`CREATE INDEX webhook_receipts_age_idx ON webhook_receipts (received_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS webhook_receipts`.execute(db)
  await sql`DROP INDEX IF EXISTS alerts_external_idx`.execute(db)
  await sql`DROP INDEX IF EXISTS alerts_incident_idx`.execute(db)
  await sql`ALTER TABLE alerts DROP COLUMN IF EXISTS incident_id`.execute(db)
  await sql`ALTER TABLE integrations DROP COLUMN IF EXISTS correlation_window_minutes`.execute(db)
}
