// Outbound webhook deliveries, second step: retention and fair, exclusive claims.
// - The runtime role may DELETE webhook_deliveries: the scheduler deletes DELIVERED and FAILED rows after
//   90 days (0013 granted SELECT, INSERT, UPDATE only; default privileges from 0002 cover it only where the
//   same role ran both migrations).
// - claim_token: the dispatcher's claim of a row being sent (random per claim; cleared when the attempt is
//   recorded). Recording requires the token, so a pass whose claim lapsed cannot overwrite the row, and a
//   subscription with a claimed row gets no second one in flight.
// - Indexes: each subscription's oldest due row, the rows in flight, and finished rows by age (retention).
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE webhook_deliveries ADD COLUMN claim_token text`.execute(db)
  await sql`CREATE INDEX webhook_deliveries_subscription_due_idx ON webhook_deliveries (agency_id, subscription_id, next_attempt_at) WHERE status = 'PENDING'`.execute(db)
  await sql`CREATE INDEX webhook_deliveries_claimed_idx ON webhook_deliveries (agency_id, subscription_id) WHERE claim_token IS NOT NULL`.execute(db)
  await sql`CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries ((coalesce(last_attempt_at, created_at))) WHERE status IN ('DELIVERED', 'FAILED')`.execute(db)
  await sql`
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cs_app') THEN
        GRANT DELETE ON webhook_deliveries TO cs_app;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'grant to cs_app not given: %', SQLERRM;
    END $$`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS webhook_deliveries_finished_idx`.execute(db)
  await sql`DROP INDEX IF EXISTS webhook_deliveries_claimed_idx`.execute(db)
  await sql`DROP INDEX IF EXISTS webhook_deliveries_subscription_due_idx`.execute(db)
  await sql`ALTER TABLE webhook_deliveries DROP COLUMN IF EXISTS claim_token`.execute(db)
}
