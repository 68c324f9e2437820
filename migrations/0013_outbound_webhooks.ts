// Outbound webhooks: the subscriptions' signing secrets (sealed; the key is not in the database), the
// subscriptions read model, and the deliveries (the outbox queue and the delivery log in one table: the
// dispatcher updates its rows, so unlike the event log it is not append-only). Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhook_subscription_secrets (
      agency_id text NOT NULL,
      subscription_id text NOT NULL,
      secret_id text NOT NULL,
      ciphertext bytea NOT NULL,
      iv bytea NOT NULL,
      tag bytea NOT NULL,
      created_at timestamptz NOT NULL,
      retired_at timestamptz,
      PRIMARY KEY (agency_id, subscription_id, secret_id)
    )`.execute(db)
  await sql`
    CREATE TABLE webhook_subscriptions (
      agency_id text NOT NULL,
      subscription_id text NOT NULL,
      url text NOT NULL,
      event_types jsonb NOT NULL,
      description text,
      secrets jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      created_position bigint NOT NULL,
      disabled_at timestamptz,
      disabled_reason text,
      last_position bigint NOT NULL,
      PRIMARY KEY (agency_id, subscription_id)
    )`.execute(db)
  await sql`
    CREATE TABLE webhook_deliveries (
      agency_id text NOT NULL,
      delivery_id text NOT NULL,
      subscription_id text NOT NULL,
      event_position bigint NOT NULL,
      event_id text NOT NULL,
      event_type text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
      attempts integer NOT NULL DEFAULT 0,
      failures integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      attempts_log jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      PRIMARY KEY (agency_id, delivery_id)
    )`.execute(db)
  // The dispatcher's due work (across agencies), and each subscription's log, newest first.
  await sql`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at) WHERE status = 'PENDING'`.execute(db)
  await sql`CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (agency_id, subscription_id, created_at DESC)`.execute(db)
  // The runtime role reads and writes all three (the dispatcher updates deliveries); where roles cannot be
  // managed (a managed database without cs_app) the owner's rights stay, as in 0002.
  await sql`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cs_app') THEN
        GRANT SELECT, INSERT, UPDATE ON webhook_subscription_secrets, webhook_subscriptions, webhook_deliveries TO cs_app;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'grants to cs_app not given: %', SQLERRM;
    END $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS webhook_deliveries`.execute(db)
  await sql`DROP TABLE IF EXISTS webhook_subscriptions`.execute(db)
  await sql`DROP TABLE IF EXISTS webhook_subscription_secrets`.execute(db)
}
